/* msc-snapshot.c — to be written */
