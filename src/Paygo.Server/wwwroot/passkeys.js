// Runs the WebAuthn ceremonies of the dashboard's static pages (see PasskeyForm.razor): a button
// carries the server's options, the browser's answer goes back in the button's form. Listening on
// the document keeps it working after Blazor's enhanced navigation swaps the page content.
document.addEventListener('click', async (event) => {
    const button = event.target.closest('[data-passkey-options]');
    if (!button) {
        return;
    }

    event.preventDefault();
    const form = button.closest('form');
    const error = form.querySelector('[data-passkey-error]');
    error.hidden = true;
    try {
        if (!window.PublicKeyCredential || !PublicKeyCredential.parseRequestOptionsFromJSON) {
            throw new Error('This browser does not support passkeys.');
        }

        const options = JSON.parse(button.dataset.passkeyOptions);
        const credential = button.dataset.passkeyMode === 'create'
            ? await navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options) })
            : await navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options) });
        form.querySelector('[data-passkey-credential]').value = JSON.stringify(credential.toJSON());
        form.submit();
    } catch (e) {
        error.textContent = e && e.name === 'NotAllowedError'
            ? 'The passkey request was cancelled or timed out. Try again.'
            : 'The passkey did not work: ' + (e && e.message ? e.message : e);
        error.hidden = false;
    }
});
