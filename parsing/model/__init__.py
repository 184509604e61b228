"""The parser's data: the report it hands out, the intermediate document, the gipr/1 vocabulary and format, its errors."""
