"""Knowledge bases: documents ingested into chunks, hybrid retrieval (BM25 over jieba terms plus
dense vectors, fused by reciprocal rank fusion) with per-document permissions applied inside the
retrieval query, and grounded answers with citations."""
