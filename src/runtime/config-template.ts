/** The commented config.yaml that `pyclaw init` writes. Every key shown is the default. */
export const configTemplate = `# PyClaw configuration. Edit, then run \`pyclaw doctor\` to check it.
# Secrets are referenced, never written here: \${env:NAME} reads an environment variable,
# secret:NAME reads PYCLAW_HOME/secrets (a NAME=value file that must be chmod 600).

storage:
  # normal: a crash of PyClaw loses nothing committed; a power loss may lose the last moments.
  # full:   every commit is fsynced, so it survives power loss too (slower appends).
  durability: normal

logging:
  # debug | info | warn | error; logs go to PYCLAW_HOME/logs/pyclaw.log, secrets redacted
  level: info
`;
