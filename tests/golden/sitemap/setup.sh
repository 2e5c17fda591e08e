export GIT_AUTHOR_DATE="2022-05-06T12:00:00Z" GIT_COMMITTER_DATE="2022-05-06T12:00:00Z"
git init -q . && git add -A && git commit -qm "Alku"
printf '\nLisää.\n' >> content/tieto.fi.md
export GIT_AUTHOR_DATE="2022-08-09T12:00:00Z" GIT_COMMITTER_DATE="2022-08-09T12:00:00Z"
git commit -qam "Lisää tietoa"
