(window.toivoSearch = window.toivoSearch || {})["en/index"] = {"pages":3,"records":4,"shards":[""]};
