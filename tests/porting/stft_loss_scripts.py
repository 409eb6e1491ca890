# The authors' idioms are kept as written: super(Cls, self), mutable default lists.
# ruff: noqa: B006, E501, UP008
"""kan-bayashi/ParallelWaveGAN (MIT licence): parallel_wavegan/losses/stft_loss.py as written
(magnitude spectrograms through ``torch.stft`` with the PyTorch-version gate the file keeps
for PyTorch < 1.7, spectral convergence and log-magnitude losses, the multi-resolution loss
with ``getattr(torch, window)(win_length)`` registered as a buffer), written once against
the names ``torch`` and ``F``. The training loop at the end is ours (the repository trains
vocoders too large for a test): an FIR filter (a ``Conv1d``) fitted to a target filter's
output by Adam on the multi-resolution loss. The tests run it with our packages under those
names and, when it is installed, with PyTorch. Weights pass through ``sync(module)`` (see
course_scripts.py).
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from .course_scripts import Sync


def stft_loss_py(torch: Any, F: Any) -> dict:
    """stft_loss.py, its imports renamed."""
    with warnings.catch_warnings():  # distutils' own deprecation warning, not the script's
        warnings.simplefilter("ignore", DeprecationWarning)
        from distutils.version import LooseVersion

        is_pytorch_17plus = LooseVersion(torch.__version__) >= LooseVersion("1.7")

    def stft(x, fft_size, hop_size, win_length, window):
        """Perform STFT and convert to magnitude spectrogram.

        Args:
            x (Tensor): Input signal tensor (B, T).
            fft_size (int): FFT size.
            hop_size (int): Hop size.
            win_length (int): Window length.
            window (str): Window function type.

        Returns:
            Tensor: Magnitude spectrogram (B, #frames, fft_size // 2 + 1).

        """
        if is_pytorch_17plus:
            x_stft = torch.stft(x, fft_size, hop_size, win_length, window, return_complex=False)
        else:
            x_stft = torch.stft(x, fft_size, hop_size, win_length, window)
        real = x_stft[..., 0]
        imag = x_stft[..., 1]

        # NOTE(kan-bayashi): clamp is needed to avoid nan or inf
        return torch.sqrt(torch.clamp(real**2 + imag**2, min=1e-7)).transpose(2, 1)

    class SpectralConvergenceLoss(torch.nn.Module):
        """Spectral convergence loss module."""

        def __init__(self):
            """Initilize spectral convergence loss module."""
            super(SpectralConvergenceLoss, self).__init__()

        def forward(self, x_mag, y_mag):
            """Calculate forward propagation.

            Args:
                x_mag (Tensor): Magnitude spectrogram of predicted signal (B, #frames, #freq_bins).
                y_mag (Tensor): Magnitude spectrogram of groundtruth signal (B, #frames, #freq_bins).

            Returns:
                Tensor: Spectral convergence loss value.

            """
            return torch.norm(y_mag - x_mag, p="fro") / torch.norm(y_mag, p="fro")

    class LogSTFTMagnitudeLoss(torch.nn.Module):
        """Log STFT magnitude loss module."""

        def __init__(self):
            """Initilize los STFT magnitude loss module."""
            super(LogSTFTMagnitudeLoss, self).__init__()

        def forward(self, x_mag, y_mag):
            """Calculate forward propagation.

            Args:
                x_mag (Tensor): Magnitude spectrogram of predicted signal (B, #frames, #freq_bins).
                y_mag (Tensor): Magnitude spectrogram of groundtruth signal (B, #frames, #freq_bins).

            Returns:
                Tensor: Log STFT magnitude loss value.

            """
            return F.l1_loss(torch.log(y_mag), torch.log(x_mag))

    class STFTLoss(torch.nn.Module):
        """STFT loss module."""

        def __init__(self, fft_size=1024, shift_size=120, win_length=600, window="hann_window"):
            """Initialize STFT loss module."""
            super(STFTLoss, self).__init__()
            self.fft_size = fft_size
            self.shift_size = shift_size
            self.win_length = win_length
            self.spectral_convergence_loss = SpectralConvergenceLoss()
            self.log_stft_magnitude_loss = LogSTFTMagnitudeLoss()
            # NOTE(kan-bayashi): Use register_buffer to fix #223
            self.register_buffer("window", getattr(torch, window)(win_length))

        def forward(self, x, y):
            """Calculate forward propagation.

            Args:
                x (Tensor): Predicted signal (B, T).
                y (Tensor): Groundtruth signal (B, T).

            Returns:
                Tensor: Spectral convergence loss value.
                Tensor: Log STFT magnitude loss value.

            """
            x_mag = stft(x, self.fft_size, self.shift_size, self.win_length, self.window)
            y_mag = stft(y, self.fft_size, self.shift_size, self.win_length, self.window)
            sc_loss = self.spectral_convergence_loss(x_mag, y_mag)
            mag_loss = self.log_stft_magnitude_loss(x_mag, y_mag)

            return sc_loss, mag_loss

    class MultiResolutionSTFTLoss(torch.nn.Module):
        """Multi resolution STFT loss module."""

        def __init__(
            self,
            fft_sizes=[1024, 2048, 512],
            hop_sizes=[120, 240, 50],
            win_lengths=[600, 1200, 240],
            window="hann_window",
        ):
            """Initialize Multi resolution STFT loss module.

            Args:
                fft_sizes (list): List of FFT sizes.
                hop_sizes (list): List of hop sizes.
                win_lengths (list): List of window lengths.
                window (str): Window function type.

            """
            super(MultiResolutionSTFTLoss, self).__init__()
            assert len(fft_sizes) == len(hop_sizes) == len(win_lengths)
            self.stft_losses = torch.nn.ModuleList()
            for fs, ss, wl in zip(fft_sizes, hop_sizes, win_lengths):
                self.stft_losses += [STFTLoss(fs, ss, wl, window)]

        def forward(self, x, y):
            """Calculate forward propagation.

            Args:
                x (Tensor): Predicted signal (B, T) or (B, #subband, T).
                y (Tensor): Groundtruth signal (B, T) or (B, #subband, T).

            Returns:
                Tensor: Multi resolution spectral convergence loss value.
                Tensor: Multi resolution log STFT magnitude loss value.

            """
            if len(x.shape) == 3:
                x = x.view(-1, x.size(2))  # (B, C, T) -> (B x C, T)
                y = y.view(-1, y.size(2))  # (B, C, T) -> (B x C, T)
            sc_loss = 0.0
            mag_loss = 0.0
            for f in self.stft_losses:
                sc_l, mag_l = f(x, y)
                sc_loss += sc_l
                mag_loss += mag_l
            sc_loss /= len(self.stft_losses)
            mag_loss /= len(self.stft_losses)

            return sc_loss, mag_loss

    return dict(stft=stft, MultiResolutionSTFTLoss=MultiResolutionSTFTLoss, STFTLoss=STFTLoss)


def fit_fir_filter(torch: Any, nn: Any, F: Any, sync: Sync) -> dict:
    """Fit a Conv1d FIR filter, by the multi-resolution STFT loss, to the output of a fixed
    one on noise (ours; the loss is the repository's)."""
    L = stft_loss_py(torch, F)
    rs = np.random.RandomState(0)
    out: dict = {}
    criterion = L["MultiResolutionSTFTLoss"](
        fft_sizes=[32, 64, 16], hop_sizes=[4, 8, 2], win_lengths=[24, 48, 12]
    )
    out["buffers"] = [tuple(b.shape) for _, b in criterion.named_buffers()]
    noise = torch.tensor(rs.randn(4, 1, 256).astype(np.float32))
    target_filter = torch.tensor(np.hanning(9).astype(np.float32)[None, None] / 4)
    y = F.conv1d(noise, target_filter, padding=4)
    model = nn.Conv1d(1, 1, 9, padding=4, bias=False)
    sync(model)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    out["sc"], out["mag"] = [], []
    for _ in range(6):
        y_hat = model(noise)
        sc_loss, mag_loss = criterion(y_hat, y)
        loss = sc_loss + mag_loss
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        out["sc"].append(sc_loss.item())
        out["mag"].append(mag_loss.item())
    out["weight"] = model.weight.detach().numpy().copy()
    out["mag_shape"] = tuple(
        L["stft"](noise[:, 0], 32, 4, 24, criterion.stft_losses[0].window).shape
    )
    return out
