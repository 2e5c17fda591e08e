/* toivo search index: [title, module, url, [[heading, id]], text, words] */
(window.toivoSearch = window.toivoSearch || {})["en"] = [
["Home","","index.html",[],"Home page.",""],
["About","","about/index.html",[],"About the course.",""]
];
