(window.toivoSearch = window.toivoSearch || {})["en/r0"] = [
["Home","","index.html",[["","","Home page."]]],
["About","","about/index.html",[["","","About the course."]]]
];
