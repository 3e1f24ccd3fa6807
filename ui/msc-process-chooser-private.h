/* msc-process-chooser-private.h — shared by msc-process-chooser.c (the
 * running processes, the answer) and msc-process-chooser-launch.c (the
 * Launch and Trace page). */
#pragma once

#include "ui/msc-process-chooser.h"

G_BEGIN_DECLS

enum {
  PAGE_RUNNING,
  PAGE_LAUNCH,
};

struct _MscProcessChooser
{
  GtkDialog           parent_instance;

  GtkNotebook        *notebook;
  GtkListStore       *store;
  GtkTreeModelFilter *filter;
  GtkTreeView        *tree_view;
  GtkSearchEntry     *filter_entry;
  GtkLabel           *status_label;
  GtkButton          *ok_button;
  GtkEntry           *program_entry;
  GtkEntry           *arguments_entry;
  GtkEntry           *directory_entry;
  GtkEntry           *environment_entry;
  GtkWidget          *environment_label;
  GtkLabel           *launch_note;
  GtkLabel           *launch_tab;
  GtkInfoBar         *launch_error;
  GtkLabel           *launch_error_label;
  gboolean            can_trace;
  GStrv               trace_argv;    /* the answer on the Launch page, when tracing */
  char               *trace_directory;
  GStrv               trace_environment;

  GCancellable       *load_cancellable;
  char               *filter_key;    /* casefolded filter text, NULL = show all */
  guint               pid;           /* the answer, once accepted */
  guint               selected_pid;  /* kept across refreshes */
  guint               n_processes;
};

/* msc-process-chooser-launch.c */
void     msc_process_chooser_setup_launch_page (MscProcessChooser *self);
/* A static program flagged in the page as its path is typed. */
void     msc_process_chooser_check_static      (MscProcessChooser *self);
/* Launch pressed: TRUE when the page's answer is ready; else the page says why. */
gboolean msc_process_chooser_accept_launch     (MscProcessChooser *self);

G_END_DECLS
