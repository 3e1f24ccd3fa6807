/* msc-session.c — to be written */
