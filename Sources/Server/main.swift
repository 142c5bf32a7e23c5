import Routes
import Store

// PLACEHOLDER: the command line and the HTTP engine replace this.
print("liveblog")
