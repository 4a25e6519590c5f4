#!/usr/bin/env zsh
# Completes `phase` command lines in a real interactive zsh (on a pseudo-terminal, zsh/zpty)
# whose fpath holds DIR/_phase, the way zsh finds /usr/share/zsh/vendor-completions/_phase, and
# prints what each completed line ran as: `ran: <words>`. The first TAB autoloads _phase (its
# first-time path), the later ones use what it registered. Usage: zsh -f zsh-completion-test.zsh DIR
zmodload zsh/zpty || exit 2
dir=${1:?usage: zsh-completion-test.zsh DIR}
zpty -b z 'zsh -f -i'
zpty -w z "PS1='> '; fpath=(${(q)dir} \$fpath); autoload -U compinit; compinit -u; phase() { print ran: \"\$@\"; }"
sleep 1
for line in 'phase no' 'phase node --max-j' 'phase completion z'; do
  zpty -n -w z "${line}"$'\t'
  sleep 2
  zpty -n -w z $'\n'
  sleep 1
done
zpty -w z 'exit'
sleep 1
all=""
while zpty -r -t z chunk 2>/dev/null; do all+=$chunk; done
zpty -d z
# Drop the carriage returns and terminal escapes; keep the lines the phase() stub printed and
# any error of the completion functions.
print -r -- "${all//$'\r'/}" | sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g' | grep -a '^ran: \|command not found'
