# bash completion for toivo(1): commands, each command's options, and
# folders or files where an option or argument takes one.

_toivo()
{
	local cur prev cmd opts
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	local commands="build check serve pdf publish new template clean"

	if [ "$COMP_CWORD" -eq 1 ]; then
		COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur"))
		return
	fi
	cmd=${COMP_WORDS[1]}

	case $prev in
	-s|--site|-o|--out)
		COMPREPLY=($(compgen -d -- "$cur"))
		return ;;
	--engine)
		COMPREPLY=($(compgen -W "chromium weasyprint" -- "$cur"))
		return ;;
	--lang)
		COMPREPLY=($(compgen -W "fi,en en,fi fi,en,sv fi" -- "$cur"))
		return ;;
	-j|--jobs|--port|--bind|--title|-m|--message|-b|--branch|-r|--remote)
		return ;;
	esac

	case $cmd in
	build) opts="-s --site -o --out -j --jobs -q --quiet --help" ;;
	check) opts="-s --site -j --jobs --strict --help" ;;
	serve) opts="-s --site -o --out -j --jobs --port --bind --help" ;;
	pdf) opts="-s --site -o --out -j --jobs -f --force -q --quiet --engine --help" ;;
	publish) opts="-s --site -b --branch -r --remote -m --message --no-push -n --dry-run -f --force --allow-dirty --help" ;;
	new) opts="--lang --title --help" ;;
	template) opts="--list -s --site --help" ;;
	clean) opts="-s --site --output --help" ;;
	*) return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
	elif [ "$cmd" = new ]; then
		COMPREPLY=($(compgen -d -- "$cur"))
	elif [ "$cmd" = template ]; then
		COMPREPLY=($(compgen -f -- "$cur"))
	fi
}
complete -o filenames -F _toivo toivo
