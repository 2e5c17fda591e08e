(window.toivoSearch = window.toivoSearch || {})["en/index"] = {"pages":2,"records":4,"shards":[""]};
