/* msc-format.c — to be written */
