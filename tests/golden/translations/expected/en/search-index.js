/* toivo search index: [title, module, url, [[heading, id]], text, words] */
(window.toivoSearch = window.toivoSearch || {})["en"] = [
["Home","","index.html",[],"Home page.",""],
["Work","","work/index.html",[],"Module.",""],
["Everyday life","Work","work/everyday/index.html",[["The day","the-day"]],"The day Text.",""]
];
