(window.toivoSearch = window.toivoSearch || {})["en/r0"] = [
["Home","","index.html",[["","","Home page."]]],
["Extra","","extra/index.html",[["","","Only in English."]]]
];
