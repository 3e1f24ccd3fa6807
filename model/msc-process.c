/* msc-process.c — to be written */
