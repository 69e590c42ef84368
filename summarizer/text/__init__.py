"""Text primitives that several stages share, on the ground floor beside `io`: no stage imports
sideways into another for them, every stage walks down.

- `script.py`: traditional → simplified with OpenCC, and the counts of what changed;
- `punctuation.py`: ASCII punctuation in Chinese text to full width;
- `numerals.py`: Arabic and Chinese numbers read into values;
- `minhash.py`: shingles and MinHash signatures (the cleanup's duplicate flags, the checker);
- `charlm.py`: a character bigram language model (mojibake repair, draft fluency);
- `linear.py`: a fitted tf-idf + logistic-regression pipeline compiled to arrays;
- `spans.py`: splicing replacements into a string.

Only `io.cache` is imported from elsewhere (to keep built models between runs).
"""
