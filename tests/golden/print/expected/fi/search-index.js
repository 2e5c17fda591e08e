/* toivo search index: [title, module, url, [[heading, id]], text, words] */
(window.toivoSearch = window.toivoSearch || {})["fi"] = [
["Koti","","index.html",[],"Etusivu.",""],
["Opas","","opas/index.html",[],"Moduulin alku.",""],
["Kaksi","Opas","opas/kaksi/index.html",[["Loppu","loppu"]],"Loppu Toinen ensimmäiseen.",""],
["Yksi","Opas","opas/yksi/index.html",[["Alku","alku"]],"Alku Ensimmäinen.",""]
];
