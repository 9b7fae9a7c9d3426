import ChainIndex
