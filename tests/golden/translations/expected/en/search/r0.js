(window.toivoSearch = window.toivoSearch || {})["en/r0"] = [
["Home","","index.html",[["","","Home page."]]],
["Work","","work/index.html",[["","","Module."]]],
["Everyday life","Work","work/everyday/index.html",[["","",""],["The day","the-day","Text."]]]
];
