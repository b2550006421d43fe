# The training example learns: act-train-mlp trains the MLP of
# examples/mlp-training on the gradients act-differentiate derives, and its
# loss falls (the mean over the last 25 steps is below half that of the first
# 25) while the held-out accuracy rises well above chance (0.1) and above
# where it started.
#
# RUN: %act_python %s act-train-mlp | FileCheck %s
# CHECK: compiled @train_step
# CHECK: learned: yes

import re
import subprocess
import sys

out = subprocess.run([sys.argv[1], "--steps=300"], capture_output=True,
                     text=True, check=True).stdout
print(out)
before = float(re.search(r"accuracy before training: ([\d.]+)", out).group(1))
after = float(re.search(r"accuracy after \d+ steps: ([\d.]+)", out).group(1))
head, tail = map(float, re.search(
    r"first \d+ steps ([\d.]+), of the last \d+ ([\d.]+)", out).groups())
ok = tail < 0.5 * head and after >= 0.5 and after > before
print("loss %.3f -> %.3f, accuracy %.2f -> %.2f" % (head, tail, before, after))
print("learned: %s" % ("yes" if ok else "NO"))
