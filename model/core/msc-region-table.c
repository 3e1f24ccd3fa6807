/* msc-region-table.c — to be written */
