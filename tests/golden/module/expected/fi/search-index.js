/* toivo search index: [title, module, url, [[heading, id]], text, words] */
(window.toivoSearch = window.toivoSearch || {})["fi"] = [
["Koti","","index.html",[],"Etusivu.",""],
["Perusteet","","perusteet/index.html",[],"Moduulin johdanto.",""],
["Osallisuus","Perusteet","perusteet/osallisuus/index.html",[],"Osallisuus tarkoittaa mukanaoloa.",""],
["Toivo","Perusteet","perusteet/toivo/index.html",[["Mitä toivo on","mita-toivo-on"]],"Mitä toivo on Toivo on usko muutokseen.",""],
["Voimavarat","Perusteet","perusteet/voimavarat/index.html",[],"Jokaisella on voimavaroja.",""]
];
