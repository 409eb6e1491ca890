"""torch.Tensor's short-time Fourier transform methods: ``x.stft(n_fft, ...)`` and
``spectrum.istft(n_fft, ...)``, the method forms of ``autograd.stft`` (stft.py) and
``autograd.istft`` (istft.py), with torch's arguments and defaults."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .tensor import Tensor


class SpectralMethods:
    """Mixed into Tensor."""

    __slots__ = ()

    def stft(
        self,
        n_fft: int,
        hop_length: int | None = None,
        win_length: int | None = None,
        window: Tensor | None = None,
        center: bool = True,
        pad_mode: str = "reflect",
        normalized: bool = False,
        onesided: bool | None = None,
        return_complex: bool | None = None,
        align_to_window: bool | None = None,
    ) -> Tensor:
        """The short-time Fourier transform of this signal (L,) or batch of signals (B, L):
        ``autograd.stft(self, ...)``."""
        from .stft import stft

        return stft(
            self,
            n_fft,
            hop_length,
            win_length,
            window,
            center,
            pad_mode,
            normalized,
            onesided,
            return_complex,
            align_to_window,
        )

    def istft(
        self,
        n_fft: int,
        hop_length: int | None = None,
        win_length: int | None = None,
        window: Tensor | None = None,
        center: bool = True,
        normalized: bool = False,
        onesided: bool | None = None,
        length: int | None = None,
        return_complex: bool = False,
    ) -> Tensor:
        """The signal whose short-time Fourier transform is this spectrum (B?, N, T):
        ``autograd.istft(self, ...)``."""
        from .istft import istft

        return istft(
            self,
            n_fft,
            hop_length,
            win_length,
            window,
            center,
            normalized,
            onesided,
            length,
            return_complex,
        )
