(window.toivoSearch = window.toivoSearch || {})["fi/index"] = {"pages":5,"records":4,"shards":[""]};
