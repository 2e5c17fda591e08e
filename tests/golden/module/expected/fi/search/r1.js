(window.toivoSearch = window.toivoSearch || {})["fi/r1"] = [
["Voimavarat","Perusteet","perusteet/voimavarat/index.html",[["","","Jokaisella on voimavaroja."]]]
];
