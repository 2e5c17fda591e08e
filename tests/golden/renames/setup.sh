# Two commits at fixed times: the page is renamed in the second.
export GIT_AUTHOR_DATE="2023-01-02T10:00:00Z" GIT_COMMITTER_DATE="2023-01-02T10:00:00Z"
git init -q . && git add -A && git commit -qm "Alku"
git mv content/vanha.fi.md content/uusi.fi.md
export GIT_AUTHOR_DATE="2023-03-04T10:00:00Z" GIT_COMMITTER_DATE="2023-03-04T10:00:00Z"
git commit -qm "Uusi nimi"
