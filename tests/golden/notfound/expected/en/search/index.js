(window.toivoSearch = window.toivoSearch || {})["en/index"] = {"pages":1,"records":4,"shards":[""]};
