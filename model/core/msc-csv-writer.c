/* msc-csv-writer.c — to be written */
