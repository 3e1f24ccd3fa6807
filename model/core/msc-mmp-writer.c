/* msc-mmp-writer.c — to be written */
