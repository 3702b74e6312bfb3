/** The PyTorch export's encoder and decoder modules per network, in Python (pytorchScript.ts assembles the file). */
import type { NetworkId } from '../models/catalog';
import type { ModelConfig } from '../models/config';
import { CONV_SMALL } from '../models/nets/conv';
import { convFeatureMap } from './torchLayout';

/** The encoder and decoder modules of a network, in Python. */
export const NETWORK_PY: Record<NetworkId, (config: ModelConfig) => string> = {
  mlp: () => `class Encoder(nn.Module):
    """x [n, PIXELS] -> [n, 2 * LATENT]: mu and log sigma^2 side by side (the browser's one head)."""

    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(PIXELS + CONDITION, HIDDEN)
        self.head = nn.Linear(HIDDEN, 2 * LATENT)

    def forward(self, x):
        return self.head(F.relu(self.hidden(x)))


class Decoder(nn.Module):
    """z [n, LATENT] -> the likelihood's logits for every pixel [n, PIXELS]."""

    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(LATENT + CONDITION, HIDDEN)
        self.output = nn.Linear(HIDDEN, PIXELS)

    def forward(self, z):
        return self.output(F.relu(self.hidden(z)))
`,
  conv: (config) => {
    const [c1, c2] = CONV_SMALL.channels;
    const [h2, w2] = convFeatureMap(config);
    return `C1, C2, DENSE = ${c1}, ${c2}, ${CONV_SMALL.denseWidth}
H2, W2 = ${h2}, ${w2}


def sides(side):
    """A side after the first and after the second 4x4 stride-2 padding-1 convolution."""
    first = (side + 2 - 4) // 2 + 1
    return first, (first + 2 - 4) // 2 + 1


def output_padding(frm, to):
    return to - ((frm - 1) * 2 - 2 + 4)


class Encoder(nn.Module):
    """conv-small: x [n, PIXELS] (rows of HEIGHT x WIDTH x CHANNELS, then the condition) -> [n, 2 * LATENT]."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(CHANNELS, C1, 4, 2, 1)
        self.conv2 = nn.Conv2d(C1, C2, 4, 2, 1)
        self.hidden = nn.Linear(C2 * H2 * W2 + CONDITION, DENSE)
        self.head = nn.Linear(DENSE, 2 * LATENT)

    def forward(self, x):
        n = x.shape[0]
        image, condition = x[:, :PIXELS], x[:, PIXELS:]
        h = image.reshape(n, HEIGHT, WIDTH, CHANNELS).permute(0, 3, 1, 2)
        h = F.relu(self.conv2(F.relu(self.conv1(h)))).flatten(1)
        return self.head(F.relu(self.hidden(torch.cat([h, condition], 1))))


class Decoder(nn.Module):
    """z [n, LATENT] (then the condition) -> the likelihood's logits for every pixel [n, PIXELS], channels last."""

    def __init__(self):
        super().__init__()
        (h1, w1), (h2, w2) = zip(sides(HEIGHT), sides(WIDTH))
        self.hidden = nn.Linear(LATENT + CONDITION, DENSE)
        self.grid = nn.Linear(DENSE, C2 * H2 * W2)
        self.convT1 = nn.ConvTranspose2d(C2, C1, 4, 2, 1, output_padding=output_padding(h2, h1))
        self.convT2 = nn.ConvTranspose2d(C1, CHANNELS, 4, 2, 1, output_padding=output_padding(h1, HEIGHT))

    def forward(self, z):
        n = z.shape[0]
        h = F.relu(self.grid(F.relu(self.hidden(z)))).view(n, C2, H2, W2)
        logits = self.convT2(F.relu(self.convT1(h)))
        return logits.permute(0, 2, 3, 1).reshape(n, PIXELS)
`;
  },
};
