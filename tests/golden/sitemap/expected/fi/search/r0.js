(window.toivoSearch = window.toivoSearch || {})["fi/r0"] = [
["Koti","","index.html",[["","","Kotisivu."]]],
["Tietoa","","tieto/index.html",[["","","Tietoa kurssista. Lisää."]]]
];
