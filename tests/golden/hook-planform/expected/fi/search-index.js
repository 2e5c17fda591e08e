/* toivo search index: [title, module, url, [[heading, id]], text, words] */
(window.toivoSearch = window.toivoSearch || {})["fi"] = [
["Koti","","index.html",[],"Kotisivu.",""],
["Lomake","","lomake/index.html",[["Suunnitelma","plan-5-title"],["Mitä toivon?","plan-5-hope"],["Seuraava tapaaminen","plan-5-next"]],"Suunnitelma Toivo kantaa. Nimi Päivämäärä Mitä toivon? mistä haaveilee Seuraava tapaaminen",""]
];
