/* toivo search index: [title, module, url, [[heading, id]], text, words] */
(window.toivoSearch = window.toivoSearch || {})["en"] = [
["Home","","index.html",[],"Home page.",""],
["Form","","form/index.html",[["Plan","plan-6-title"],["What do I hope for?","plan-6-hope"],["Seuraava tapaaminen","plan-6-next"]],"Plan Hope carries. Name Date What do I hope for? what you dream of Seuraava tapaaminen",""]
];
