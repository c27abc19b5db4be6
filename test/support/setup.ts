// libp2p (issue 3) needs Promise.withResolvers, which Node 20 lacks; load the polyfill before anything else.
import "../../node/polyfills.js";
