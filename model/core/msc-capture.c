/* msc-capture.c — to be written */
