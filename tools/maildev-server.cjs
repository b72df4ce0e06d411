// Starts maildev (same command-line options) but survives clients that drop the connection mid-conversation.
// maildev 2.x rethrows EPIPE/ECONNRESET from its SMTP socket as an uncaught exception and exits; our tests
// kill deliveries on purpose (a process dying mid-send), and the mail server must outlive that, as a real one does.
process.on('uncaughtException', (error) => {
  if (error && (error.code === 'EPIPE' || error.code === 'ECONNRESET')) {
    console.error(`maildev: a client went away (${error.code}); still serving`)
    return
  }
  console.error(error)
  process.exit(1)
})

const MailDev = require('maildev')
new MailDev().listen()
