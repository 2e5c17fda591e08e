(window.toivoSearch = window.toivoSearch || {})["fi/r0"] = [
["Koti","","index.html",[["","","Etusivu."]]],
["Opas","","opas/index.html",[["","","Moduulin alku."]]],
["Kaksi","Opas","opas/kaksi/index.html",[["","",""],["Loppu","loppu","Toinen ensimmäiseen. Osa"]]],
["Yksi","Opas","opas/yksi/index.html",[["","",""],["Alku","alku","Ensimmäinen."]]]
];
