"""Steps/s of the MLP VAE (784-h-{mu,logvar}-h-784, Bernoulli, Adam) in PyTorch for each
configuration given as JSON on argv[1] ([[batch, hidden, latent], ...]): a timing only, on random
pixels, after a warm-up. Prints one JSON line per configuration."""
import json, sys, time
import torch
import torch.nn.functional as F

torch.set_num_threads(int(sys.argv[2]) if len(sys.argv) > 2 else 2)
torch.manual_seed(1)


class Vae(torch.nn.Module):
    def __init__(self, hidden, latent):
        super().__init__()
        self.enc, self.head = torch.nn.Linear(784, hidden), torch.nn.Linear(hidden, 2 * latent)
        self.dec, self.out = torch.nn.Linear(latent, hidden), torch.nn.Linear(hidden, 784)

    def loss(self, x):
        mu, logvar = self.head(F.relu(self.enc(x))).chunk(2, dim=1)
        z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
        logits = self.out(F.relu(self.dec(z)))
        rec = F.binary_cross_entropy_with_logits(logits, x, reduction='sum')
        kl = -0.5 * torch.sum(1 + logvar - mu * mu - logvar.exp())
        return (rec + kl) / x.shape[0]


for batch, hidden, latent in json.loads(sys.argv[1]):
    model = Vae(hidden, latent)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = torch.rand(batch, 784)
    steps = max(8, min(30, int(3000 / batch)))
    for i in range(3 + steps):
        if i == 3:
            start = time.perf_counter()
        opt.zero_grad()
        model.loss(x).backward()
        opt.step()
    print(json.dumps({'batch': batch, 'hidden': hidden, 'latent': latent, 'steps_per_s': steps / (time.perf_counter() - start)}), flush=True)
