// encrypt.js IN OUT PASSWORD: write IN as a password-protected Office file
// (MS-OFFCRYPTO agile encryption: an OLE2 file holding EncryptionInfo and
// EncryptedPackage) with the npm package officecrypto-tool 0.0.19.
const fs = require('fs');
const officeCrypto = require('officecrypto-tool');
const [src, dst, pw] = process.argv.slice(2);
(async () => {
  const out = await officeCrypto.encrypt(fs.readFileSync(src), {password: pw});
  fs.writeFileSync(dst, out);
})();
