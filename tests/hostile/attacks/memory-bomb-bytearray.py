# Hostile submission: doubles a bytearray without end
# Graded after the correct script (tests/scenarios/logistic_regression/correct-script.py).

# %% [markdown]
# Attack: doubles a bytearray without end

# %%
bomb = bytearray(b'x' * 1024)
while True:
    bomb += bomb
