/* msc-process.c — the process a session observes: identity fixed at
 * construction (pid, name, bitness), descriptive text settable later because
 * a backend or a capture may learn it after the fact. */
#include "config.h"

#include "model/msc-process.h"

struct _MscProcess
{
  GObject parent_instance;

  guint   pid;
  char   *name;
  guint   bits;
  char   *user;
  char   *os;
  char   *command_line;
};

G_DEFINE_TYPE (MscProcess, msc_process, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PID,
  PROP_NAME,
  PROP_BITS,
  PROP_USER,
  PROP_OS,
  PROP_COMMAND_LINE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
msc_process_finalize (GObject *object)
{
  MscProcess *self = MSC_PROCESS (object);

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->user, g_free);
  g_clear_pointer (&self->os, g_free);
  g_clear_pointer (&self->command_line, g_free);

  G_OBJECT_CLASS (msc_process_parent_class)->finalize (object);
}

static void
msc_process_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  MscProcess *self = MSC_PROCESS (object);

  switch (prop_id)
    {
    case PROP_PID:
      g_value_set_uint (value, self->pid);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_BITS:
      g_value_set_uint (value, self->bits);
      break;
    case PROP_USER:
      g_value_set_string (value, self->user);
      break;
    case PROP_OS:
      g_value_set_string (value, self->os);
      break;
    case PROP_COMMAND_LINE:
      g_value_set_string (value, self->command_line);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
msc_process_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  MscProcess *self = MSC_PROCESS (object);

  switch (prop_id)
    {
    case PROP_PID:
      self->pid = g_value_get_uint (value);
      break;
    case PROP_NAME:
      /* Never NULL: writers and views show it as is. */
      g_free (self->name);
      self->name = g_strdup (g_value_get_string (value) != NULL ? g_value_get_string (value) : "");
      break;
    case PROP_BITS:
      self->bits = g_value_get_uint (value);
      break;
    case PROP_USER:
      msc_process_set_user (self, g_value_get_string (value));
      break;
    case PROP_OS:
      msc_process_set_os (self, g_value_get_string (value));
      break;
    case PROP_COMMAND_LINE:
      msc_process_set_command_line (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
msc_process_class_init (MscProcessClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = msc_process_finalize;
  object_class->get_property = msc_process_get_property;
  object_class->set_property = msc_process_set_property;

  properties[PROP_PID] =
    g_param_spec_uint ("pid", NULL, NULL, 0, G_MAXUINT32, 0,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* 32 or 64; 0 when not known (a capture without a Process element). */
  properties[PROP_BITS] =
    g_param_spec_uint ("bits", NULL, NULL, 0, G_MAXUINT32, 0,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_USER] =
    g_param_spec_string ("user", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_OS] =
    g_param_spec_string ("os", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COMMAND_LINE] =
    g_param_spec_string ("command-line", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
msc_process_init (MscProcess *self)
{
  self->name = g_strdup ("");
}

/**
 * msc_process_new:
 * @pid: the process ID (0 when not known)
 * @name: (nullable): the executable's name
 * @bits: 32, 64, or 0 when not known
 *
 * Returns: (transfer full): a new process
 */
MscProcess *
msc_process_new (guint       pid,
                 const char *name,
                 guint       bits)
{
  return g_object_new (MSC_TYPE_PROCESS,
                       "pid", pid,
                       "name", name,
                       "bits", bits,
                       NULL);
}

guint
msc_process_get_pid (MscProcess *self)
{
  g_return_val_if_fail (MSC_IS_PROCESS (self), 0);

  return self->pid;
}

/* Returns: (transfer none) (not nullable) */
const char *
msc_process_get_name (MscProcess *self)
{
  g_return_val_if_fail (MSC_IS_PROCESS (self), NULL);

  return self->name;
}

guint
msc_process_get_bits (MscProcess *self)
{
  g_return_val_if_fail (MSC_IS_PROCESS (self), 0);

  return self->bits;
}

/* Stores text (NULL and "" both mean "not known", kept as NULL) and notifies
 * when it changed. */
static void
msc_process_set_text (MscProcess *self,
                      char      **field,
                      const char *text,
                      guint       prop_id)
{
  if (text != NULL && text[0] == '\0')
    text = NULL;
  if (g_strcmp0 (*field, text) == 0)
    return;
  g_free (*field);
  *field = g_strdup (text);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

/* Returns: (transfer none) (nullable) */
const char *
msc_process_get_user (MscProcess *self)
{
  g_return_val_if_fail (MSC_IS_PROCESS (self), NULL);

  return self->user;
}

void
msc_process_set_user (MscProcess *self,
                      const char *user)
{
  g_return_if_fail (MSC_IS_PROCESS (self));

  msc_process_set_text (self, &self->user, user, PROP_USER);
}

/* Returns: (transfer none) (nullable) */
const char *
msc_process_get_os (MscProcess *self)
{
  g_return_val_if_fail (MSC_IS_PROCESS (self), NULL);

  return self->os;
}

void
msc_process_set_os (MscProcess *self,
                    const char *os)
{
  g_return_if_fail (MSC_IS_PROCESS (self));

  msc_process_set_text (self, &self->os, os, PROP_OS);
}

/* Returns: (transfer none) (nullable) */
const char *
msc_process_get_command_line (MscProcess *self)
{
  g_return_val_if_fail (MSC_IS_PROCESS (self), NULL);

  return self->command_line;
}

void
msc_process_set_command_line (MscProcess *self,
                              const char *command_line)
{
  g_return_if_fail (MSC_IS_PROCESS (self));

  msc_process_set_text (self, &self->command_line, command_line, PROP_COMMAND_LINE);
}
