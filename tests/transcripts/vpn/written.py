#!/usr/bin/env python3
# written.py - writes the WRITTEN transcripts of this folder (see README):
# VPN portals' answers reconstructed from research 3.2's anchors, for the
# products no Debian package provides, and hostile or truncated variants.
# Each file is what a server would send, answer after answer, to the
# requests the HTTPS probe sends (probes/vpn_portal.c).  Run it from this
# folder; it rewrites the files byte for byte the same.
import base64

DATE = "Date: Wed, 25 Nov 2026 09:00:00 GMT\r\n"


def answer(status, headers="", body="", length=True):
    if isinstance(body, str):
        body = body.encode()
    head = "HTTP/1.1 %s\r\n%s%s" % (status, DATE, headers)
    if length:
        head += "Content-Length: %d\r\n" % len(body)
    return head.encode() + b"\r\n" + body


def write(name, *answers):
    with open(name, "wb") as f:
        f.write(b"".join(answers))


NOT_FOUND = answer("404 Not Found", "Content-Type: text/html\r\n",
                   "<html><body>Not Found</body></html>\n")

# --- Cisco ASA (AnyConnect aggregate authentication) ----------------------
ASA_HDR = ("Content-Type: text/xml\r\nCache-Control: no-store\r\n"
           "Connection: Keep-Alive\r\nX-Transcend-Version: 1\r\n"
           "X-Frame-Options: SAMEORIGIN\r\n")
ASA_MOVED = answer("302 Object Moved",
                   "Content-Type: text/html\r\nConnection: Keep-Alive\r\n"
                   "Location: /+CSCOE+/logon.html\r\n"
                   "Set-Cookie: tg=; expires=Thu, 01 Jan 1970 22:00:00 GMT; "
                   "path=/; secure\r\n")


def asa(auth, opaque=""):
    return answer("200 OK", ASA_HDR,
                  '<?xml version="1.0" encoding="UTF-8"?>\n'
                  '<config-auth client="vpn" type="auth-request" '
                  'aggregate-auth-version="2">\n'
                  '<version who="sg">9.16(4)48</version>\n'
                  '<opaque is-for="sg">\n'
                  '<tunnel-group>DefaultWEBVPNGroup</tunnel-group>\n'
                  + opaque +
                  '<config-hash>1764000000000</config-hash>\n'
                  '</opaque>\n' + auth + '</config-auth>\n')


write("cisco-asa-9.16-password.bin", ASA_MOVED, asa(
    '<auth id="main">\n<title>Login</title>\n'
    '<message>Please enter your username and password.</message>\n'
    '<banner></banner>\n<form>\n'
    '<input type="text" name="username" label="Username:"></input>\n'
    '<input type="password" name="password" label="Password:"></input>\n'
    '<select name="group_list" label="GROUP:">\n'
    '<option selected="true">Personnel</option>\n'
    '<option>Prestataires</option>\n'
    '</select>\n</form>\n</auth>\n'))

write("cisco-asa-9.16-double.bin", ASA_MOVED, asa(
    '<auth id="main">\n<title>Login</title>\n'
    '<message>Please enter your username, password and token code.'
    '</message>\n<form>\n'
    '<input type="text" name="username" label="Username:"></input>\n'
    '<input type="password" name="password" label="Password:"></input>\n'
    '<input type="password" name="secondary_password" '
    'label="Second Password:"></input>\n'
    '</form>\n</auth>\n'))

write("cisco-asa-9.16-saml.bin", ASA_MOVED, asa(
    '<auth id="main">\n<title>Login</title>\n'
    '<message>Please complete the authentication process in the '
    'AnyConnect Login window.</message>\n<banner></banner>\n'
    '<sso-v2-login>https://vpn.example.org/+CSCOE+/saml/sp/login?'
    'tgname=DefaultWEBVPNGroup&#x26;acsamlcap=v2</sso-v2-login>\n'
    '<sso-v2-login-final>https://vpn.example.org/+CSCOE+/'
    'saml_ac_login.html</sso-v2-login-final>\n'
    '<sso-v2-token-cookie-name>acSamlv2Token</sso-v2-token-cookie-name>\n'
    '<form>\n<input type="sso" name="sso-token"></input>\n</form>\n'
    '</auth>\n',
    '<auth-method>single-sign-on-v2</auth-method>\n'))

# --- Palo Alto GlobalProtect (prelogin.esp) --------------------------------
GP_HDR = "Content-Type: application/xml; charset=UTF-8\r\n"
GP_MOVED = answer("302 Found", "Content-Type: text/html\r\n"
                  "Location: /global-protect/login.esp\r\n")


def prelogin(inner):
    return answer("200 OK", GP_HDR,
                  '<?xml version="1.0" encoding="UTF-8" ?>\n'
                  '<prelogin-response>\n' + inner + '</prelogin-response>\n')


GP_REDIRECT = base64.b64encode(
    b"https://login.microsoftonline.com/00000000-0000-0000-0000-"
    b"000000000000/saml2?SAMLRequest=fZJNT8MwDIb%2FSuV7m3VrYYu6SoMJ"
    b"MWnA&RelayState=dummy").decode()
write("globalprotect-saml.bin", GP_MOVED, prelogin(
    '<status>Success</status>\n<ccusername/>\n'
    '<autosubmit>false</autosubmit>\n<msg/>\n<newmsg/>\n'
    '<authentication-message>Enter login credentials'
    '</authentication-message>\n'
    '<username-label>Username</username-label>\n'
    '<password-label>Password</password-label>\n'
    '<panos-version>1</panos-version>\n'
    '<saml-default-browser>yes</saml-default-browser>\n'
    '<saml-auth-status>0</saml-auth-status>\n'
    '<saml-auth-method>REDIRECT</saml-auth-method>\n'
    '<saml-request>' + GP_REDIRECT + '</saml-request>\n'
    '<saml-request-timeout>600</saml-request-timeout>\n'
    '<saml-request-id>0</saml-request-id>\n<region>FR</region>\n'))

# A gateway reached blind on 443: "GET /" shows nothing, AnyConnect's
# init is refused, the prelogin speaks SAML by POST (an HTML form whose
# action is the IdP).
GP_POST = base64.b64encode(
    b'<html xmlns="http://www.w3.org/1999/xhtml"><body '
    b'onload="document.forms[0].submit()"><form method="POST" '
    b'action="https://adfs.example.org/adfs/ls/"><input type="hidden" '
    b'name="SAMLRequest" value="PHNhbWxwOkF1dGhuUmVxdWVzdA=="/></form>'
    b'</body></html>').decode()
write("globalprotect-saml-post-blind.bin",
      answer("200 OK", "Content-Type: text/html\r\n",
             "<html><head><title></title></head><body></body></html>\n"),
      NOT_FOUND,
      prelogin('<status>Success</status>\n'
               '<saml-auth-method>POST</saml-auth-method>\n'
               '<saml-request>' + GP_POST + '</saml-request>\n'
               '<region>FR</region>\n'))

# RADIUS one-time codes: the password field is labelled as a passcode.
write("globalprotect-passcode.bin", GP_MOVED, prelogin(
    '<status>Success</status>\n<ccusername/>\n'
    '<autosubmit>false</autosubmit>\n<msg/>\n'
    '<authentication-message>Enter login credentials'
    '</authentication-message>\n'
    '<username-label>Username</username-label>\n'
    '<password-label>Passcode</password-label>\n'
    '<panos-version>1</panos-version>\n<region>FR</region>\n'))

# A gateway-only appliance: the portal's prelogin is an error, the
# gateway's answers.
write("globalprotect-gateway.bin",
      answer("200 OK", "Content-Type: text/html\r\n",
             "<html><body></body></html>\n"),
      NOT_FOUND,
      prelogin('<status>Error</status>\n'
               '<msg>Invalid parameters</msg>\n'),
      prelogin('<status>Success</status>\n<ccusername/>\n'
               '<authentication-message>Enter login credentials'
               '</authentication-message>\n'
               '<username-label>Username</username-label>\n'
               '<password-label>Password</password-label>\n'
               '<region>FR</region>\n'))

# --- Fortinet FortiGate SSL-VPN ---------------------------------------------
FG_HDR = "Server: xxxxxxxx-xxxxx\r\nContent-Type: text/html\r\n"
write("fortigate-password.bin",
      answer("200 OK", FG_HDR + 'ETag: "5a6-65f1c7a3"\r\n',
             '<html><script type="text/javascript">\n'
             'if (window!=top) top.location=window.location;'
             'top.location="/remote/login";\n</script></html>\n'),
      answer("200 OK", FG_HDR,
             '<!DOCTYPE html>\n<html lang="en" class="main-app">\n<head>\n'
             '<meta charset="UTF-8">\n<title></title>\n'
             '<link href="/sslvpn/css/ftnt-fortinet-grid.css" '
             'rel="stylesheet" type="text/css">\n</head>\n<body>\n'
             '<form class="prompt" action="/remote/logincheck" '
             'method="post" name="f">\n'
             '<input type="hidden" name="ajax" value="1">\n'
             '<input type="hidden" name="redir" value="/remote/index">\n'
             '<input id="username" name="username" type="text" '
             'autocomplete="username" placeholder="Username">\n'
             '<input id="credential" name="credential" type="password" '
             'autocomplete="current-password" placeholder="Password">\n'
             '<button id="login_button" type="button">Login</button>\n'
             '</form>\n<script>fgt_lang = {"sslvpn_login_permission_denied"'
             ': "Permission denied."};</script>\n</body>\n</html>\n'),
      answer("404 Not Found", FG_HDR,
             "<html><body>Not Found</body></html>\n"))

# --- Ivanti / Pulse Connect Secure ------------------------------------------
PULSE_MOVED = answer("302 Moved", "Content-Type: text/html\r\n"
                     "Location: https://vpn.example.org/dana-na/auth/"
                     "url_default/welcome.cgi\r\n"
                     "Set-Cookie: DSSignInURL=/; path=/; secure\r\n")
write("pulse-two-passwords.bin", PULSE_MOVED,
      answer("200 OK", "Content-Type: text/html; charset=utf-8\r\n"
             "Set-Cookie: DSBrowserID=0123456789abcdef; path=/; secure\r\n",
             '<html>\n<head>\n<title>Ivanti Connect Secure</title>\n'
             '<script type="text/javascript">var a = 1 < 2 && "<input '
             'type=password name=fake>";</script>\n</head>\n<body>\n'
             '<form name="frmLogin" action="login.cgi" method="POST" '
             'autocomplete="off" onsubmit="return Login()">\n'
             '<input type="hidden" name="tz_offset">\n'
             '<input type="text" name="username" value="" size="20">\n'
             '<input type="password" name="password" value="" size="20">\n'
             '<input type="password" name="password#2" value="" '
             'size="20">\n'
             '<select name="realm">\n<option value="Personnel">Personnel'
             '</option>\n<option value="Astreinte">Astreinte</option>\n'
             '</select>\n'
             '<input type="submit" value="Sign In" name="btnSubmit">\n'
             '</form>\n<form name="frmSearch" action="search.cgi">'
             '<input type="text" name="q"></form>\n</body>\n</html>\n'))

write("pulse-saml.bin", PULSE_MOVED,
      answer("302 Moved", "Content-Type: text/html\r\n"
             "Location: https://idp.example.org/saml2/idp/SSOService.php?"
             "SAMLRequest=fZJNT8MwDIb%2FSuV7m3VrYYu6SoMJ&RelayState=x\r\n"))

# --- Citrix NetScaler Gateway (nFactor) -------------------------------------
write("citrix-nfactor-passcode.bin",
      answer("302 Object Moved", "Content-Type: text/html\r\n"
             "Location: /logon/LogonPoint/tmindex.html\r\n"
             "Set-Cookie: NSC_TMAS=deadbeef;Secure;Path=/\r\n"),
      answer("200 OK", "Content-Type: text/xml\r\n",
             '<?xml version="1.0" encoding="UTF-8"?>\n'
             '<AuthenticateResponse xmlns="http://citrix.com/'
             'authentication/response/1">\n<Status>success</Status>\n'
             '<Result>more-info</Result>\n<StateContext></StateContext>\n'
             '<AuthenticationRequirements>\n'
             '<PostBack>/nf/auth/doAuthentication.do</PostBack>\n'
             '<Requirements>\n'
             '<Requirement><Credential><ID>login</ID><SaveID>Username'
             '</SaveID><Type>username</Type></Credential><Label><Text>User '
             'name</Text><Type>plain</Type></Label><Input><Text><Secret>'
             'false</Secret><ReadOnly>false</ReadOnly></Text></Input>'
             '</Requirement>\n'
             '<Requirement><Credential><ID>passwd</ID><SaveID>Password'
             '</SaveID><Type>password</Type></Credential><Label><Text>'
             'Password:</Text><Type>plain</Type></Label><Input><Text>'
             '<Secret>true</Secret></Text></Input></Requirement>\n'
             '<Requirement><Credential><ID>passwd1</ID><Type>password'
             '</Type></Credential><Label><Text>Passcode:</Text><Type>plain'
             '</Type></Label><Input><Text><Secret>true</Secret></Text>'
             '</Input></Requirement>\n'
             '<Requirement><Credential><ID>loginBtn</ID><Type>none</Type>'
             '</Credential><Label><Type>none</Type></Label><Input><Button>'
             'Log On</Button></Input></Requirement>\n'
             '</Requirements>\n</AuthenticationRequirements>\n'
             '</AuthenticateResponse>\n'),
      answer("302 Object Moved", "Content-Type: text/html\r\n"
             "Location: /logon/LogonPoint/index.html\r\n"))

# --- SonicWall SMA, Check Point Mobile Access -------------------------------
SW_HDR = "Server: SonicWALL SSL-VPN Web Server\r\n"
write("sonicwall-sma.bin",
      answer("302 Found", SW_HDR + "Content-Type: text/html\r\n"
             "Location: /cgi-bin/welcome\r\n"),
      answer("200 OK", SW_HDR + "Content-Type: text/html\r\n",
             '<html><head><title>Virtual Office</title></head><body>\n'
             '<form name="Login" method="post" action="/cgi-bin/userLogin">\n'
             '<input type="text" name="username">\n'
             '<input type="password" name="password">\n'
             '<select name="domain"><option value="LocalDomain">'
             'LocalDomain</option></select>\n'
             '<input type="submit" value="Login">\n</form>\n'
             '<p>SonicWall SMA</p></body></html>\n'))

write("checkpoint-mobile.bin",
      answer("302 Found", "Content-Type: text/html\r\n"
             "Location: /sslvpn/Login/Login\r\n"),
      answer("200 OK", "Content-Type: text/html\r\n",
             '<html><head><title>Check Point Mobile</title></head><body>\n'
             '<form id="loginForm" name="loginForm" method="post" '
             'action="/sslvpn/Login/Login">\n'
             '<input type="hidden" name="loginType" value="Standard">\n'
             '<input type="text" name="userName">\n'
             '<input type="password" name="password">\n'
             '<input type="submit" name="LoginButton" value="Sign In">\n'
             '</form></body></html>\n'))

# --- hostile and truncated variants -----------------------------------------
OCS = ('<?xml version="1.0" encoding="UTF-8"?>\n'
       '<config-auth client="vpn" type="auth-request">\n'
       '<version who="sg">0.1(1)</version>\n<auth id="main">\n'
       '<message>Please enter your username.</message>\n'
       '<form method="post" action="/auth">\n'
       '<input type="text" name="username" label="Username:" />\n'
       '<select name="group_list" label="Group:">\n'
       '<option value="Soignants">Soignants</option>\n')
# The connection closes in the middle of the document.
write("ocserv-truncated.bin",
      answer("200 OK", "Content-Type: text/xml\r\nX-Transcend-Version: 1\r\n",
             OCS, length=False).replace(b"HTTP/1.1", b"HTTP/1.0", 1))

# Lying, overlong and unbalanced markup: bounds must hold.
inputs = "".join('<input type="password" name="%s%d"/>' % ("p" * 60, i)
                 for i in range(40))
options = "".join("<option>g%d&#x41;&amp;&bogus;&#0;</option>" % i
                  for i in range(40))
write("config-auth-hostile.bin",
      answer("200 OK", "Content-Type: text/xml\r\nX-Transcend-Version: 1\r\n",
             '<config-auth client="vpn" type="auth-request">'
             '<version who="sg">' + "9" * 100 + '</version>'
             '<message>\x1b[2J' + "m" * 600 + '</message>'
             '<!-- <input type="text" name="commented"/> -->'
             '<form><select name="group_list">' + options + '</select>'
             + inputs + '<input name=unquoted type=password>'
             '<input type="password" name=\'<evil>\'/>'
             '<sso-v2-login><![CDATA[https://x.example.org/' + "u" * 700 +
             ']]></sso-v2-login></form><unclosed attr="'),
      NOT_FOUND)

# The first answer says it closes: nothing follows it.
write("closes-after-first.bin",
      answer("302 Found", "Location: /remote/login?lang=en\r\n"
             "Connection: close\r\n"),
      NOT_FOUND)

# A follow-up answered with garbage: what was learned is kept.
write("bad-followup.bin",
      answer("302 Found", "Location: /global-protect/login.esp\r\n"),
      b"SSH-2.0-OpenSSH_9.2p1\r\n")

# Chunked answers with trailers, and a body over HTTP_BODY_MAX on the
# first answer: no follow-up after it.
chunked = (b"HTTP/1.1 302 Found\r\n" + DATE.encode() +
           b"Location: /dana-na/auth/url_default/welcome.cgi\r\n"
           b"Transfer-Encoding: chunked\r\n\r\n"
           b"5\r\nMoved\r\n0\r\nX-Trailer: 1\r\n\r\n")
page = ('<form name="frmLogin"><input type="text" name="username">'
        '<input type="password" name="password"></form>')
write("pulse-chunked.bin", chunked,
      b"HTTP/1.1 200 OK\r\n" + DATE.encode() +
      b"Transfer-Encoding: chunked\r\n\r\n" +
      ("%x\r\n%s\r\n0\r\n\r\n" % (len(page), page)).encode())
write("big-first-page.bin",
      answer("200 OK", "Content-Type: text/html\r\n",
             "<title>Intranet</title>" + "x" * 40000))
