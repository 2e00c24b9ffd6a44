"""The building blocks of alfer-ml's encoders in plain PyTorch, for the reference scripts.

alfer-ml's `ConvBn` (3x3 or 1x1 convolution without bias, batch norm, optional ReLU) and its
residual block (two ConvBn, a 1x1 ConvBn shortcut where the shape changes), layer for layer.
Import it after torch is known to be installed (the scripts check first and say how to install
it).
"""
import torch.nn.functional as F
from torch import nn


class ConvBn(nn.Module):
    """Convolution, batch norm, optional ReLU.

    kaiming: initialise the convolution as alfer-ml does (normal, std sqrt(2 / fan-in)) instead
    of PyTorch's default, drawn right after it so that the random stream follows construction.
    """

    def __init__(self, cin, cout, kernel, stride, relu, kaiming=False):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, kernel, stride, kernel // 2, bias=False)
        # alfer-ml's batch-norm momentum 0.9 (weight of the old statistics) is PyTorch's 0.1
        self.bn = nn.BatchNorm2d(cout, eps=1e-5, momentum=0.1)
        self.relu = relu
        if kaiming:
            nn.init.kaiming_normal_(self.conv.weight, mode="fan_in", nonlinearity="relu")

    def forward(self, x):
        x = self.bn(self.conv(x))
        return F.relu(x) if self.relu else x


class ResidualBlock(nn.Module):
    """Two ConvBn (the second without ReLU) plus the input or its 1x1 projection, then ReLU."""

    def __init__(self, cin, cout, stride, kaiming=False):
        super().__init__()
        self.conv1 = ConvBn(cin, cout, 3, stride, True, kaiming)
        self.conv2 = ConvBn(cout, cout, 3, 1, False, kaiming)
        self.shortcut = (ConvBn(cin, cout, 1, stride, False, kaiming)
                         if stride != 1 or cin != cout else None)

    def forward(self, x):
        identity = x if self.shortcut is None else self.shortcut(x)
        return F.relu(self.conv2(self.conv1(x)) + identity)
