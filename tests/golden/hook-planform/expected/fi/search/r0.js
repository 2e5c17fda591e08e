(window.toivoSearch = window.toivoSearch || {})["fi/r0"] = [
["Koti","","index.html",[["","","Kotisivu."]]],
["Lomake","","lomake/index.html",[["","",""],["Suunnitelma","plan-5-title","Toivo kantaa. Vastauksesi pysyvät vain tällä sivulla: niitä ei lähetetä minnekään eikä tallenneta selaimeen, joten tallenna ne tiedostoksi tai tulosta ennen kuin suljet sivun. Tallenna Avaa"],["Mitä toivon?","plan-5-hope","mistä haaveilee"],["Seuraava tapaaminen","plan-5-next",""]]]
];
