/* msc-summary.c — to be written */
