(window.toivoSearch = window.toivoSearch || {})["fi/r0"] = [
["Koti","","index.html",[["","","Tervetuloa kurssille."]]]
];
