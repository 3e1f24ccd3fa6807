/* msc-txt-writer.c — to be written */
