# bash completion for promvet (static: CLI11 2.x has no generator). Installed as
# share/bash-completion/completions/promvet. Completes subcommands, their main flags, the values
# of enumerated flags, check ids for `explain` (from the installed docs) and file names.
_promvet() {
  local cur prev cmd i
  cur=${COMP_WORDS[COMP_CWORD]}
  prev=${COMP_WORDS[COMP_CWORD-1]}
  local commands="metrics lint sanitize inject inventory usage metadata explain parse fmt"
  local net="--format --timeout --max-bytes --max-file-bytes --header --bearer-token-file --insecure-skip-verify"

  cmd=""
  for ((i = 1; i < COMP_CWORD; i++)); do
    case ${COMP_WORDS[i]} in
      -*) ;;
      *) cmd=${COMP_WORDS[i]}; break ;;
    esac
  done
  if [[ -z $cmd ]]; then
    COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur"))
    return
  fi

  case $prev in
    --format) COMPREPLY=($(compgen -W "auto text openmetrics" -- "$cur")); return ;;
    --fail-on) COMPREPLY=($(compgen -W "info warning error" -- "$cur")); return ;;
    --kind) COMPREPLY=($(compgen -W "auto dashboard rules queries" -- "$cur")); return ;;
    --rules-dialect) COMPREPLY=($(compgen -W "auto prometheus thanos mimir loki" -- "$cur")); return ;;
    --enable-feature) COMPREPLY=($(compgen -W "promql-experimental-functions promql-duration-expr promql-extended-range-selectors promql-binop-fill-modifiers" -- "$cur")); return ;;
    --escaping) COMPREPLY=($(compgen -W "underscores dots values" -- "$cur")); return ;;
    --on-conflict) COMPREPLY=($(compgen -W "keep replace error" -- "$cur")); return ;;
    -o|--output)
      case $cmd in
        metrics) COMPREPLY=($(compgen -W "text json" -- "$cur")); return ;;
        lint) COMPREPLY=($(compgen -W "text json sarif github checkstyle" -- "$cur")); return ;;
      esac ;;
    --policy)
      # Bundled pack names from the installed share/promvet/policies, and files.
      local bin rules names=""
      bin=$(type -P promvet) && rules=${bin%/*}/../share/promvet/policies
      if [[ -n $rules && -d $rules ]]; then names=$(cd "$rules" && printf '%s\n' *.yaml | sed 's/\.yaml$//'); fi
      COMPREPLY=($(compgen -W "$names" -- "$cur") $(compgen -f -- "$cur"))
      return 0 ;;
    --timeout|--max-bytes|--max-file-bytes|--header|--metric|--label|--prefix|--match|--series-limit|-j|--jobs|\
    --width|-e|--expr|--disable|--max-label-values|--max-line-bytes|--target-label|--from-prometheus|\
    --pack|--pack-version)
      return ;;
  esac

  local flags=""
  case $cmd in
    metrics) flags="$net -o --output --fail-on --disable --no-lint --promlint-only --list-checks --policy --max-label-values --max-line-bytes" ;;
    lint) flags="-o --output --fail-on --kind --rules-dialect --config -j --jobs --baseline --write-baseline --inventory --policy --no-builtin-metadata --stdin-filename --list-checks --enable-experimental-functions --enable-feature" ;;
    sanitize) flags="--metric --label --escaping --unescape" ;;
    inject) flags="$net --label --prefix --on-conflict" ;;
    inventory) flags="$net -o --output --from-prometheus --match --series-limit --target-label --max-label-values --builtin --pack --pack-version" ;;
    metadata) flags="--all" ;;
    usage) flags="$net --inventory --from-prometheus --match --series-limit --json --html --kind" ;;
    parse) flags="-e --expr --each-line --json --enable-experimental-functions --enable-feature" ;;
    fmt) flags="-e --expr --width --enable-experimental-functions --enable-feature" ;;
    explain)
      if [[ $cur != -* ]]; then
        local bin docs
        bin=$(type -P promvet) && docs=${bin%/*}/../share/doc/promvet/checks
        if [[ -n $docs && -d $docs ]]; then
          local ids
          ids=$(cd "$docs" && printf '%s\n' */*.md | sed 's/\.md$//')
          COMPREPLY=($(compgen -W "$ids" -- "$cur"))
        fi
        return
      fi ;;
  esac
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$flags --help" -- "$cur"))
  else
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
}
complete -o filenames -F _promvet promvet
