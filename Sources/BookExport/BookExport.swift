import CMarkGFM
