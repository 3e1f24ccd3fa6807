/* msc-mmp-reader.c — to be written */
