"""Fill the unfinished messages of the translation catalogues.

``tools/translations.sh`` runs this between ``pyside6-lupdate`` and ``pyside6-lrelease``;
run it by hand after adding entries to ``ENGLISH``:

    .venv/bin/python tools/fill_translations.py [--check]

Source strings are Brazilian Portuguese, so ``crm_whatsapp_pt_BR.ts`` translates every
message to its own source text. ``crm_whatsapp_en.ts`` takes its English from ``ENGLISH``
below (context -> Portuguese source -> English). Only unfinished messages are touched:
a translation already marked finished (here or in Qt Linguist) is kept, so the script
can run any number of times. A new source string with no entry here stays unfinished,
and ``tests/desktop/test_translations.py`` fails until someone translates it (``--check``
exits with status 1 while any message is unfinished).

The .ts files are edited as text, message by message, and written the way lupdate
writes them, so the next lupdate run leaves them byte for byte as they are.
"""

from __future__ import annotations

import re
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

TRANSLATIONS = Path(__file__).resolve().parents[1] / "resources" / "translations"

#: ``{0}``, ``{code}``, ``{minutes:02d}`` (str.format) and ``%v``, ``%1``, ``%n`` (Qt).
PLACEHOLDER = re.compile(r"\{[^{}]*\}|%(?:\d+|[A-Za-z])")
TAG = re.compile(r"<[^<>]+>")

# Keys are the Portuguese source exactly as in the code; a message with a disambiguation
# comment would be keyed by the tuple (source, comment).
ENGLISH: dict[str, dict[str | tuple[str, str], str]] = {
    # Keys, in the window (issue 16): the recovery key typed in the window, a new
    # enrollment code, the audit trail.
    "UnlockDialog": {
        "Abrir o histórico": "Open the history",
        "Cancelar": "Cancel",
        "Para abrir o histórico, digite abaixo a chave de recuperação: a folha com 14 grupos "
        "de letras e números, impressa ou salva quando este computador foi configurado. Nada "
        "do histórico se perde.": "To open the history, type the recovery key below: the "
        "sheet with 14 groups of letters and digits, printed or saved when this computer was "
        "set up. Nothing in the history is lost.",
        "O chaveiro do sistema está trancado, e é nele que fica guardada a senha que abre o "
        "histórico deste computador.": "The system keyring is locked, and it holds the "
        "password that opens this computer's history.",
        "O chaveiro do sistema não tem a senha deste histórico. Isso acontece num computador "
        "novo, depois de reinstalar o sistema ou de trocar de usuário.": "The system keyring "
        "does not have this history's password. That happens on a new computer, after "
        "reinstalling the system or switching users.",
        "A senha guardada no chaveiro do sistema não abre este histórico; nada foi alterado.": (
            "The password kept in the system keyring does not open this history; nothing "
            "was changed."
        ),
        "O chaveiro do sistema não abriu, e é nele que fica guardada a senha que abre o "
        "histórico deste computador.": "The system keyring did not open, and it holds the "
        "password that opens this computer's history.",
        "Não foi possível conferir a chave agora; tente de novo.": (
            "The key could not be checked now; try again."
        ),
    },
    "NewCodeNotice": {
        "Novo código de ativação": "New enrollment code",
        "Informar código novo…": "Enter a new code…",
        "Agora não": "Not now",
    },
    "Audit": {
        "Exportação de contato": "Contact export",
        "Exclusão de contato": "Contact erasure",
        "Chave de recuperação exibida": "Recovery key shown",
        "Histórico aberto com a chave de recuperação": "History opened with the recovery key",
        "Plugin de CRM ligado": "CRM plugin turned on",
        "Plugin de CRM desligado": "CRM plugin turned off",
        "Configuração de plugin alterada": "Plugin settings changed",
        "Conversa atribuída": "Conversation assigned",
        "Conversa transferida": "Conversation transferred",
        "Conversa sem responsável": "Conversation unassigned",
        "Data e hora": "Date and time",
        "Ação": "Action",
        "Quem": "Who",
        "Sobre": "About",
        "Detalhe": "Detail",
    },
    "AuditPage": {
        "Tudo": "Everything",
        "Exportações": "Exports",
        "Exclusões de contato": "Contact erasures",
        "Chave de recuperação": "Recovery key",
        "Plugins de CRM": "CRM plugins",
        "Atribuições e transferências": "Assignments and transfers",
        "Exportar CSV…": "Export CSV…",
        "Data e hora": "Date and time",
        "Ação": "Action",
        "Quem": "Who",
        "Sobre": "About",
        "Detalhe": "Detail",
        "Nada registrado ainda.": "Nothing recorded yet.",
        "Mostrar:": "Show:",
        "Exportações, exclusões, chaves de recuperação, plugins e atribuições, de todos os "
        "computadores do escritório; nunca o texto das mensagens.": "Exports, erasures, "
        "recovery keys, plugins and assignments, from every computer in the office; never "
        "the messages' text.",
        "Não foi possível ler o registro de auditoria agora.": "The audit trail could not be "
        "read now.",
        "Ainda não enviado ao relay.": "Not sent to the relay yet.",
        "Exportar auditoria": "Export audit trail",
        "Planilha CSV (*.csv)": "CSV spreadsheet (*.csv)",
        "Não foi possível salvar o arquivo; escolha outra pasta.": "The file could not be "
        "saved; choose another folder.",
        "Registro salvo em {0}.": "Trail saved to {0}.",
    },
    "BubbleDelegate": {
        "Encaminhada": "Forwarded",
        # What the thread must show (issue 16): templates, edits, deletions, unsupported.
        "Foto do cabeçalho": "Header photo",
        "Vídeo do cabeçalho": "Header video",
        "Documento do cabeçalho": "Header document",
        "Modelo «{0}»": "Template “{0}”",
        "Mensagem apagada": "This message was deleted",
        "editada": "edited",
        "Editada; o texto original não está no histórico.": (
            "Edited; the original text is not in the history."
        ),
        "Editada. Original: {0}": "Edited. Original: {0}",
        "O cliente enviou algo que o WhatsApp não repassa: {0}.": (
            "The customer sent something WhatsApp does not pass on: {0}."
        ),
        "O cliente enviou um tipo de mensagem não suportado.": (
            "The customer sent a type of message that is not supported."
        ),
        "Peça que reenvie de outra forma (texto, foto ou documento).": (
            "Ask them to send it another way (text, photo or document)."
        ),
        "uma edição de mensagem": "an edit of a message",
        "uma enquete": "a poll",
        "uma mídia de visualização única": "a view-once photo or video",
        "um vídeo circular": "a video note",
        "um evento": "an event",
        "um álbum de fotos": "a photo album",
        "Modelo: {0}": "Template: {0}",
        "Abrir no mapa": "View on map",
        # Not seen by lupdate yet (called through a local alias ``tr``); ready for when
        # bubble.py calls QCoreApplication.translate directly.
        "Resposta de botão": "Button reply",
        "Mensagem do tipo {0}": "Message of type {0}",
        "Foto": "Photo",
        "Figurinha": "Sticker",
        "Prévia indisponível": "Preview unavailable",
        "Áudio": "Audio",
        "Vídeo": "Video",
        "Documento": "Document",
        "Localização": "Location",
        "Contato": "Contact",
    },
    "Previews": {
        "Foto": "Photo",
        "Áudio": "Audio",
        "Vídeo": "Video",
        "Documento": "Document",
        "Figurinha": "Sticker",
        "Localização": "Location",
        "Contato": "Contact",
        "Modelo": "Template",
        "Novo contato": "New contact",
        "Mensagem": "Message",
        "Você: {0}": "You: {0}",
        "Mensagem apagada": "This message was deleted",
        "Mensagem não suportada": "Unsupported message",
        "Reagiu {0} a: {1}": "Reacted {0} to: {1}",
        "Você reagiu {0} a: {1}": "You reacted {0} to: {1}",
        "Reagiu {0} a uma mensagem": "Reacted {0} to a message",
        "Você reagiu {0} a uma mensagem": "You reacted {0} to a message",
    },
    "Composer": {
        "Cancelar resposta": "Cancel reply",
        "Mais de 24 horas desde a última mensagem do cliente: a Meta só permite modelos "
        "aprovados até ele responder.": "More than 24 hours since the customer's last message: "
        "Meta only allows approved templates until they reply.",
        "Escolher modelo…": "Choose template…",
        "Digite uma mensagem (/ para respostas rápidas)": "Type a message (/ for quick replies)",
        "Anexar arquivo": "Attach file",
        "Enviar modelo aprovado": "Send approved template",
        "Enviar (Enter)": "Send (Enter)",
        "Janela de 24 horas fechada: envie um modelo.": "24-hour window closed: send a template.",
        "Respondendo a: {0}": "Replying to: {0}",
        "Emojis": "Emoji",
        "Gravar mensagem de voz": "Record a voice message",
        "Cancelar gravação": "Cancel recording",
        "Enviar mensagem de voz": "Send voice message",
        "● Gravando {0}:{1:02d}": "● Recording {0}:{1:02d}",
    },
    "AttachDialog": {
        "O arquivo está vazio e não será enviado.": "The file is empty and will not be sent.",
        "Não foi possível ler este arquivo; ele não será enviado.": (
            "This file could not be read; it will not be sent."
        ),
        "A Meta só aceita fotos de até 5 MB; esta não será enviada.": (
            "Meta only accepts photos up to 5 MB; this one will not be sent."
        ),
        "A Meta só aceita vídeos de até 16 MB; este não será enviado.": (
            "Meta only accepts videos up to 16 MB; this one will not be sent."
        ),
        "A Meta só aceita áudios de até 16 MB; este não será enviado.": (
            "Meta only accepts audio up to 16 MB; this one will not be sent."
        ),
        "A Meta só aceita documentos de até 100 MB; este não será enviado.": (
            "Meta only accepts documents up to 100 MB; this one will not be sent."
        ),
        "A Meta só aceita fotos JPEG ou PNG; esta não será enviada.": (
            "Meta only accepts JPEG or PNG photos; this one will not be sent."
        ),
        "A Meta só aceita vídeos MP4 ou 3GP; este não será enviado.": (
            "Meta only accepts MP4 or 3GP videos; this one will not be sent."
        ),
        "A Meta só aceita áudios AAC, AMR, MP3, M4A ou OGG; este não será enviado.": (
            "Meta only accepts AAC, AMR, MP3, M4A or OGG audio; this one will not be sent."
        ),
        "Remover este arquivo": "Remove this file",
        "Enviar arquivos": "Send files",
        "Cancelar": "Cancel",
        "Enviar": "Send",
        "Adicione uma legenda…": "Add a caption…",
        "Áudios são enviados sem legenda.": "Audio is sent without a caption.",
        "{0} arquivo(s) para enviar": "{0} file(s) to send",
        "{0} de {1} arquivo(s) serão enviados": "{0} of {1} file(s) will be sent",
        "Não foi possível ler o arquivo {0}.": "The file {0} could not be read.",
    },
    "VoiceRecorder": {
        "Nenhum microfone foi encontrado neste computador.": (
            "No microphone was found on this computer."
        ),
        "Não foi possível gravar o áudio; verifique o microfone e tente de novo.": (
            "The audio could not be recorded; check the microphone and try again."
        ),
        "Este computador não consegue gerar mensagens de voz (falta o codificador Opus); "
        "reinstale o programa.": "This computer cannot make voice messages (the Opus "
        "encoder is missing); reinstall the program.",
        "Nenhum som chegou do microfone; verifique se ele está ligado e se o sistema permite o "
        "acesso a ele.": "No sound came from the microphone; check that it is on and that the "
        "system allows access to it.",
        "A mensagem de voz ficou curta demais; grave pelo menos 1 segundo.": (
            "The voice message was too short; record at least 1 second."
        ),
        "A gravação chegou ao limite de {0} minutos e foi enviada.": (
            "The recording reached the {0}-minute limit and was sent."
        ),
        "A gravação foi descartada porque outra conversa foi aberta.": (
            "The recording was discarded because another conversation was opened."
        ),
    },
    "EmojiPicker": {
        "Recentes": "Recent",
        "Carinhas": "Smileys",
        "Gestos": "Gestures",
        "Corações": "Hearts",
        "Objetos": "Objects",
    },
    "PhotoViewer": {
        "Diminuir (Ctrl+−)": "Zoom out (Ctrl+−)",
        "Aumentar (Ctrl++)": "Zoom in (Ctrl++)",
        "Ajustar": "Fit",
        "Ajustar à janela (Ctrl+0)": "Fit to window (Ctrl+0)",
        "Tamanho real": "Actual size",
        "Salvar como…": "Save as…",
        "Fechar (Esc)": "Close (Esc)",
    },
    "ConnectPage": {
        "Conectar ao relay": "Connect to the relay",
        "Informe o endereço do relay do escritório e o código de ativação que o administrador "
        "gerou para este computador.": "Enter your office's relay address and the activation "
        "code the administrator generated for this computer.",
        "https://relay.seuescritorio.com.br": "https://relay.youroffice.com",
        "É o nome que os colegas veem como autor das mensagens e responsável.": "This is the "
        "name your colleagues see as the author of your messages and as the assignee.",
        "Endereço do relay:": "Relay address:",
        "Código de ativação:": "Activation code:",
        "Nome deste computador:": "Computer name:",
        "Conectando ao relay…": "Connecting to the relay…",
        "O endereço do relay deve começar com https://.": "The relay address must start with "
        "https://.",
    },
    "ConversationDelegate": {
        # Not seen by lupdate yet (local alias ``tr`` in conversation.py).
        "janela fechada": "window closed",
    },
    "Copilot": {
        "Fechar": "Close",
        "Resposta rápida": "Quick reply",
        "Você já escreveu esta resposta várias vezes. Salvar como resposta rápida?": "You have written this reply several times. Save it as a quick reply?",  # noqa: E501
        "Salvar": "Save",
        "Agora não": "Not now",
        "Atalho (digitado depois de /):": "Shortcut (typed after /):",
        "Resumindo a conversa…": "Summarising the conversation…",
        "Resumo da conversa": "Conversation summary",
        "Para quem vai assumir a conversa. Confira antes de usar.": "For whoever takes over the conversation. Check it before using it.",  # noqa: E501
        "Adicionar como nota interna": "Add as an internal note",
        "Escreva um rascunho para o Copilot reescrever.": "Write a draft for the Copilot to rewrite.",  # noqa: E501
        "Reescrevendo o rascunho…": "Rewriting the draft…",
        "Não há mensagem do cliente para traduzir.": "There is no customer message to translate.",
        "Tradução": "Translation",
        "Nada foi enviado a um modelo desde que o programa abriu.": "Nothing has been sent to a model since the program opened.",  # noqa: E501
        "O que sai deste computador": "What leaves this computer",
        "A última requisição enviada ao modelo, exatamente como saiu. Dados pessoais aparecem como [CPF_1], [EMAIL_1]… e só este computador sabe os valores.": "The last request sent to the model, exactly as it left. Personal data appears as [CPF_1], [EMAIL_1]… and only this computer knows the values.",  # noqa: E501
    },
    "CopilotPage": {
        "Sugerir respostas com o Copilot": "Suggest replies with the Copilot",
        "Usar também um modelo de IA (OpenAI ou compatível: Ollama, vLLM…)": "Also use an AI model (OpenAI or compatible: Ollama, vLLM…)",  # noqa: E501
        "https://api.exemplo.com/v1": "https://api.example.com/v1",
        "nome do modelo": "model name",
        "guardada no cofre de senhas do sistema": "kept in the system's password store",
        "Ocultar dados pessoais (CPF, e-mail, telefone) antes de enviar ao modelo": "Hide personal data (CPF, e-mail, phone) before sending to the model",  # noqa: E501
        "Testar conexão": "Test connection",
        "Horários, preços, endereços, políticas: o que o modelo pode citar. Ele não inventa o que não estiver aqui.": "Opening hours, prices, addresses, policies: what the model may quote. It does not make up what is not here.",  # noqa: E501
        "Endereço da API:": "API address:",
        "Modelo:": "Model:",
        "Chave da API:": "API key:",
        "Informações do escritório:": "Office information:",
        "Nenhuma sugestão mostrada nos últimos 30 dias.": "No suggestions shown in the last 30 days.",  # noqa: E501
        "histórico da equipe": "team history",
        "modelo de IA": "AI model",
        "{0}: {1}% de {2} sugestões aproveitadas ({3} como estavam, {4} editadas)": "{0}: {1}% of {2} suggestions used ({3} as they were, {4} edited)",  # noqa: E501
        "Últimos 30 dias — ": "Last 30 days — ",
        "Testando…": "Testing…",
    },
    "SuggestionBar": {
        "Mais formal": "More formal",
        "Mais simpática": "Friendlier",
        "Mais curta": "Shorter",
        "Corrigir": "Fix",
        "resposta rápida": "quick reply",
        "modelo aprovado {0}": "approved template {0}",
        "modelo de IA": "AI model",
        "usada {0}× pela equipe": "used {0}× by the team",
        "resposta da equipe": "team reply",
        "Copilot": "Copilot",
        "Resumir, reescrever, traduzir": "Summarise, rewrite, translate",
        "Resumir a conversa": "Summarise the conversation",
        "Reescrever o rascunho": "Rewrite the draft",
        "Traduzir a mensagem do cliente": "Translate the customer's message",
        "O que sai deste computador": "What leaves this computer",
        "Modelo: {0}": "Template: {0}",
    },
    "Dates": {
        "segunda-feira": "Monday",
        "terça-feira": "Tuesday",
        "quarta-feira": "Wednesday",
        "quinta-feira": "Thursday",
        "sexta-feira": "Friday",
        "sábado": "Saturday",
        "domingo": "Sunday",
        "janeiro": "January",
        "fevereiro": "February",
        "março": "March",
        "abril": "April",
        "maio": "May",
        "junho": "June",
        "julho": "July",
        "agosto": "August",
        "setembro": "September",
        "outubro": "October",
        "novembro": "November",
        "dezembro": "December",
        "Hoje": "Today",
        "Ontem": "Yesterday",
        "{hour:02d}:{minute:02d}": "{hour:02d}:{minute:02d}",
        # English uses en_US (crm_whatsapp.ui.i18n sets that locale): month first.
        "{day:02d}/{month:02d}/{year}": "{month:02d}/{day:02d}/{year}",
        "{day} de {month} de {year}": "{month} {day}, {year}",
    },
    "JumpDialog": {
        "Ir para conversa": "Go to conversation",
        "Nome, número ou palavra": "Name, number or word",
    },
    "MainWindow": {
        "Ver original": "See original",
        "Mensagem original": "Original message",
        # Team work (ui.team_wiring, ui.team_actions): views, counts, empty views, pins.
        "Adiadas": "Snoozed",
        "Nenhuma conversa atribuída a você.": "No conversation is assigned to you.",
        "Nenhuma conversa sem responsável.": "Every conversation has someone on it.",
        "Nenhuma conversa não lida.": "No unread conversations.",
        "Nenhuma conversa aberta.": "No open conversations.",
        "Nenhuma conversa pendente.": "No pending conversations.",
        "Nenhuma conversa adiada.": "No snoozed conversations.",
        "Nenhuma conversa resolvida.": "No resolved conversations.",
        "Nenhuma conversa ainda.": "No conversations yet.",
        "Todas as etiquetas": "All labels",
        "Nenhuma conversa encontrada.": "No conversation found.",
        "Nenhuma conversa com a etiqueta {0}.": "No conversation has the label {0}.",
        "Você pode fixar até 3 conversas.": "You can pin up to 3 conversations.",
        "Marcar como não lida": "Mark as unread",
        "Desafixar conversa": "Unpin conversation",
        "Fixar conversa": "Pin conversation",
        "Conversa pendente: saiu de Abertas e espera em Pendentes.": (
            "Conversation pending: it left Open and waits in Pending."
        ),
        "Conversa adiada: volta para Abertas em {0}.": (
            "Conversation snoozed: it comes back to Open on {0}."
        ),
        "Este computador precisa de um novo código de ativação.": (
            "This computer needs a new enrollment code."
        ),
        "Ainda não chegou nenhuma mensagem a este número da empresa: a primeira conversa "
        "precisa começar pelo cliente.": "No message has reached the business number yet: "
        "the first conversation has to start with the customer.",
        "Arquivo recebido": "File received",
        "“{0}” pode executar programas neste computador, por isso não é aberto aqui: "
        "use “Salvar como…” e abra-o só se confiar em quem o enviou.": "“{0}” can run programs "
        "on this computer, so it is not opened from here: use “Save as…” and open it only if "
        "you trust whoever sent it.",
        "Salvar como…": "Save as…",
        "Não foi possível preparar o arquivo para abrir; verifique o espaço livre no disco.": (
            "The file could not be prepared for opening; check the free disk space."
        ),
        "Nenhum programa deste computador abre este tipo de arquivo.": (
            "No program on this computer opens this kind of file."
        ),
        "Não foi possível salvar o arquivo; escolha outra pasta.": (
            "The file could not be saved; choose another folder."
        ),
        "Arquivo salvo.": "File saved.",
        "Não foi possível apagar o histórico antigo agora.": (
            "The old history could not be erased just now."
        ),
        "{0} mensagens antigas apagadas (guardar {1} meses).": (
            "{0} old messages erased (keep {1} months)."
        ),
        "CRM WhatsApp": "CRM WhatsApp",
        "Pesquisar contatos e mensagens": "Search contacts and messages",
        "Minhas": "Mine",
        "Sem responsável": "Unassigned",
        "Todas": "All",
        "Não lidas": "Unread",
        "Abertas": "Open",
        "Pendentes": "Pending",
        "Resolvidas": "Resolved",
        "Todas as situações": "All statuses",
        "Configurações": "Settings",
        "Conectando…": "Connecting…",
        "Abrir": "Open",
        "Sair": "Quit",
        "Responsável: {0}": "Assigned to: {0}",
        "ninguém": "no one",
        "Responder": "Reply",
        "Reagir": "React",
        "Copiar texto": "Copy text",
        "Abrir mídia": "Open media",
        "O arquivo desta mensagem não está mais neste computador.": (
            "This message's file is no longer on this computer."
        ),
        "O arquivo guardado desta mensagem está danificado e não pode ser aberto.": (
            "The stored file of this message is damaged and cannot be opened."
        ),
        "Baixando mídia…": "Downloading media…",
        "Não foi possível baixar a mídia; tente de novo.": "Couldn't download the media; "
        "please try again.",
        "Imagem": "Image",
        "Não foi possível ler o arquivo {0}.": "Couldn't read the file {0}.",
        "O arquivo {0} passa de 100 MB.": "The file {0} is larger than 100 MB.",
        "Anexar arquivos": "Attach files",
        "Transferir conversa": "Transfer conversation",
        "Nome do colega ou da fila:": "Colleague or queue name:",
        "Nota interna": "Internal note",
        "Só a equipe vê esta nota:": "Only your team can see this note:",
        "Etiquetas": "Labels",
        "Etiquetas separadas por vírgula:": "Labels, separated by commas:",
        "CRM WhatsApp: {0} não lidas": "CRM WhatsApp: {0} unread",
        "Conectando ao relay…": "Connecting to the relay…",
        "Sincronizando mensagens…": "Syncing messages…",
        "Conectado": "Connected",
        "Sem conexão: tentando de novo; as mensagens enviadas ficam na fila.": "Offline: "
        "retrying; the messages you send are queued.",
        "Este computador foi desconectado pelo administrador.": "This computer was "
        "disconnected by the administrator.",
        "A caixa de entrada não consegue aplicar o que chega do relay (as mensagens continuam "
        "guardadas no relay). Contate o suporte.": "The inbox cannot apply what arrives from "
        "the relay (the messages stay stored on the relay). Contact support.",
        "%v de %m": "%v of %m",
        "O novo idioma vale por completo ao reabrir o aplicativo.": "The new language takes "
        "full effect when you reopen the app.",
    },
    "MetaErrors": {
        "Mais de 24 horas desde a última mensagem do cliente: envie um modelo aprovado para "
        "retomar a conversa.": "More than 24 hours since the customer's last message: send an "
        "approved template to resume the conversation.",
        "Não foi possível entregar a mensagem: o número pode não ter WhatsApp, usar uma versão "
        "antiga do aplicativo ou ainda não ter aceitado os novos termos do WhatsApp.": "The "
        "message couldn't be delivered: the number may not have WhatsApp, may be using an old "
        "version of the app, or may not have accepted WhatsApp's new terms yet.",
        "A Meta optou por não entregar esta mensagem de marketing para manter o engajamento do "
        "cliente saudável: aguarde pelo menos 24 horas antes de tentar de novo.": "Meta chose "
        "not to deliver this marketing message to keep customer engagement healthy: wait at "
        "least 24 hours before trying again.",
        "O cliente pediu para não receber mensagens de marketing desta empresa.": "The customer "
        "asked not to receive marketing messages from this company.",
        "O número da empresa atingiu o limite de envios por segundo da Meta: aguarde alguns "
        "instantes e tente de novo.": "The company's number reached Meta's limit of messages "
        "per second: wait a moment and try again.",
        "Muitas mensagens seguidas para este cliente: aguarde alguns segundos e tente de "
        "novo.": "Too many messages in a row to this customer: wait a few seconds and try again.",
        "O número da empresa está em manutenção na Meta: tente de novo em alguns minutos.": "The "
        "company's number is under maintenance at Meta: try again in a few minutes.",
        "A empresa fez pedidos demais à Meta em pouco tempo: aguarde alguns minutos e tente de "
        "novo.": "The company sent too many requests to Meta in a short time: wait a few "
        "minutes and try again.",
        "Limite de envios da Meta atingido: aguarde alguns instantes e tente de novo.": "Meta's "
        "sending limit was reached: wait a moment and try again.",
        "A Meta limitou os envios deste número porque muitas mensagens anteriores foram "
        "bloqueadas ou denunciadas como spam: evite reenviar e avise o administrador.": "Meta "
        "limited sending from this number because many earlier messages were blocked or "
        "reported as spam: avoid resending and let the administrator know.",
        "O WhatsApp não aceita este tipo de mensagem: envie o conteúdo de outra forma.": "WhatsApp "
        "doesn't accept this type of message: send the content another way.",
        "A Meta não conseguiu baixar o arquivo da mensagem: confira o arquivo e tente de "
        "novo.": "Meta couldn't download the message's file: check the file and try again.",
        "A Meta não aceitou o arquivo anexado: confira o tipo e o tamanho do arquivo e tente de "
        "novo.": "Meta didn't accept the attached file: check the file's type and size and try "
        "again.",
        "A Meta não conseguiu processar o arquivo da mensagem: confira o arquivo.": "Meta "
        "couldn't process the message's file: check the file.",
        "O serviço da Meta está instável no momento: tente de novo em instantes.": "Meta's "
        "service is unstable right now: try again in a moment.",
        "A Meta teve uma falha desconhecida ao processar a mensagem: tente de novo em "
        "instantes.": "Meta had an unknown failure while processing the message: try again in "
        "a moment.",
        "Faltou uma informação obrigatória na mensagem: revise o conteúdo e tente de "
        "novo.": "The message is missing some required information: review the content and "
        "try again.",
        "A Meta recusou uma informação da mensagem como inválida: revise o conteúdo e tente de "
        "novo.": "Meta rejected some of the message's information as invalid: review the "
        "content and try again.",
        "O destinatário é o próprio número da empresa, que não pode enviar mensagens para si "
        "mesmo.": "The recipient is the company's own number, which can't send messages to itself.",
        "A conta de WhatsApp Business da empresa foi bloqueada: avise o "
        "administrador.": "The company's WhatsApp Business account has been locked: let the "
        "administrator know.",
        "A Meta bloqueou temporariamente os envios deste número por violação das suas "
        "políticas: avise o administrador.": "Meta has temporarily blocked sending from this "
        "number for violating its policies: let the administrator know.",
        "Há um problema de pagamento na conta de WhatsApp Business da empresa: avise o "
        "administrador.": "There is a payment problem with the company's WhatsApp Business "
        "account: let the administrator know.",
        "O número da empresa não está registrado no WhatsApp Business: avise o "
        "administrador.": "The company's number isn't registered with WhatsApp Business: let "
        "the administrator know.",
        "A autorização do servidor da empresa na Meta expirou ou foi revogada: avise o "
        "administrador para renová-la.": "The company server's authorization with Meta has "
        "expired or been revoked: ask the administrator to renew it.",
        "O servidor da empresa não tem permissão da Meta para enviar por este número: avise o "
        "administrador.": "The company's server doesn't have Meta's permission to send from "
        "this number: let the administrator know.",
        "Este tipo de modelo não pode ser enviado a um cliente identificado só pelo nome de "
        "usuário do WhatsApp.": "This type of template can't be sent to a customer identified "
        "only by their WhatsApp username.",
        "A Meta recusou o modelo de mensagem: confira o modelo escolhido e as variáveis "
        "preenchidas.": "Meta rejected the message template: check the chosen template and the "
        "variables you filled in.",
        "Não houve confirmação de que a Meta recebeu a mensagem: verifique se o cliente a "
        "recebeu antes de reenviar, para não mandar duas vezes.": "There was no confirmation "
        "that Meta received the message: check whether the customer got it before resending, "
        "so it isn't sent twice.",
        "O servidor da empresa não conseguiu se conectar à Meta: tente de novo em "
        "instantes.": "The company's server couldn't connect to Meta: try again in a moment.",
        "Sem conexão com o servidor da empresa: verifique a internet e tente de novo.": "No "
        "connection to the company's server: check your internet connection and try again.",
        "O servidor demorou demais para responder: tente de novo em instantes.": "The server "
        "took too long to respond: try again in a moment.",
        "Este computador não está mais autorizado no servidor da empresa: avise o "
        "administrador.": "This computer is no longer authorized on the company's server: let "
        "the administrator know.",
        "O arquivo é grande demais para ser enviado pelo WhatsApp.": "The file is too large to "
        "send through WhatsApp.",
        "A Meta recusou a mensagem.": "Meta rejected the message.",
        "A Meta recusou a mensagem (código {code}).": "Meta rejected the message (code {code}).",
        "A quantidade de variáveis preenchidas não corresponde à que o modelo "
        "espera.": "The number of variables filled in doesn't match what the template expects.",
        "O modelo não existe ou ainda não foi aprovado no idioma escolhido.": "The template "
        "doesn't exist or hasn't been approved in the chosen language yet.",
        "O texto do modelo ficou longo demais depois de preenchidas as variáveis.": "The "
        "template text is too long once the variables are filled in.",
        "O conteúdo do modelo viola as políticas do WhatsApp: escolha outro modelo.": "The "
        "template's content violates WhatsApp's policies: choose another template.",
        "Uma variável do modelo está em um formato diferente do esperado.": "A template "
        "variable isn't in the expected format.",
        "O modelo foi pausado pela Meta por baixa qualidade: escolha outro modelo por "
        "enquanto.": "Meta paused the template for low quality: choose another template for now.",
        "O modelo foi desativado pela Meta depois de várias pausas: escolha outro "
        "modelo.": "Meta disabled the template after it was paused several times: choose "
        "another template.",
    },
    # Signed update checks (issue 17): the offer in the status bar.
    "UpdateOffer": {
        "Baixar": "Download",
        "Abrir instalador": "Open installer",
        "Tentar de novo": "Try again",
        "Baixando a versão {0}…": "Downloading version {0}…",
        "Versão {0} baixada e conferida.": "Version {0} downloaded and verified.",
        "Versão {0} disponível —": "Version {0} available —",
        "Atualização obrigatória: esta versão não é mais aceita; instale a versão {0}.": (
            "Required update: this version is no longer accepted; install version {0}."
        ),
        "Não foi possível abrir o instalador; ele está em {0}.": (
            "The installer could not be opened; it is in {0}."
        ),
    },
    "Problems": {
        # Signed update checks (issue 17).
        "Não foi possível procurar atualizações agora.": "Updates could not be checked now.",
        "O endereço de atualizações deve começar com https://; nada foi procurado.": (
            "The updates address must start with https://; nothing was checked."
        ),
        "O aviso de atualização é grande demais e foi ignorado.": (
            "The update notice is too large and was ignored."
        ),
        "O aviso de atualização não tem uma assinatura válida e foi ignorado.": (
            "The update notice has no valid signature and was ignored."
        ),
        "O aviso de atualização está malformado e foi ignorado.": (
            "The update notice is malformed and was ignored."
        ),
        "O aviso de atualização expirou e foi ignorado.": (
            "The update notice has expired and was ignored."
        ),
        "Não foi possível baixar a atualização; tente de novo mais tarde.": (
            "The update could not be downloaded; try again later."
        ),
        "O instalador baixado é maior do que o anunciado e foi apagado.": (
            "The downloaded installer is larger than announced and was deleted."
        ),
        "O instalador baixado não confere com a atualização assinada e foi apagado; "
        "nada foi instalado.": (
            "The downloaded installer does not match the signed update and was deleted; "
            "nothing was installed."
        ),
        "Não foi possível salvar o instalador; verifique o espaço em disco.": (
            "The installer could not be saved; check the disk space."
        ),
        "Não foi possível carregar a lista de colegas.": (
            "The list of colleagues could not be loaded."
        ),
        # Keys, in the window (issue 16).
        "A chave de recuperação está certa, mas o chaveiro do sistema continua fechado e é "
        "nele que fica a conexão com o relay; entre de novo na sessão do usuário e abra o "
        "CRM WhatsApp outra vez.": "The recovery key is right, but the system keyring is still "
        "closed and it holds the connection to the relay; sign in to your user session again "
        "and open CRM WhatsApp once more.",
        "Este computador precisa de um novo código de ativação: o relay não reconhece mais "
        "este computador (o perfil foi restaurado em outro PC ou o dispositivo foi "
        "revogado); peça um código ao administrador, e o histórico fica como está.": (
            "This computer needs a new enrollment code: the relay no longer knows it (the "
            "profile was restored on another PC or the device was revoked); ask the "
            "administrator for a code, and the history stays as it is."
        ),
        "Não foi possível gravar na pasta do perfil; confira as permissões da pasta "
        "(ou a variável CRM_WHATSAPP_HOME) e tente de novo.": (
            "The profile folder cannot be written; check the folder's permissions "
            "(or the CRM_WHATSAPP_HOME variable) and try again."
        ),
        "O código de ativação já foi usado, mas este computador não conseguiu guardar a "
        "conexão; peça ao administrador que revogue o dispositivo com "
        "'crm-whatsapp-relay device revoke {0}' e gere um código novo com "
        "'crm-whatsapp-relay device add'.": (
            "The activation code has been used, but this computer could not keep the "
            "connection; ask the administrator to revoke the device with "
            "'crm-whatsapp-relay device revoke {0}' and create a new code with "
            "'crm-whatsapp-relay device add'."
        ),
        "Houve um problema com as chaves de criptografia do perfil.": (
            "There was a problem with this profile's encryption keys."
        ),
        "O cofre de senhas do sistema não está disponível; abra a sessão do usuário ou use "
        "a chave de recuperação.": (
            "The system keyring is not available; log in to the user session or use the "
            "recovery key."
        ),
        "O cofre de senhas do sistema está bloqueado; desbloqueie-o entrando de novo na "
        "sessão do usuário ou use a chave de recuperação.": (
            "The system keyring is locked; unlock it by logging in to the user session again "
            "or use the recovery key."
        ),
        "A chave que protege o histórico não foi encontrada no cofre de senhas do sistema; "
        "informe a chave de recuperação.": (
            "The key that protects the history was not found in the system keyring; enter the "
            "recovery key."
        ),
        "A chave guardada no cofre de senhas não abre este histórico e nada foi alterado; "
        "informe a chave de recuperação.": (
            "The key in the keyring does not open this history and nothing was changed; enter "
            "the recovery key."
        ),
        "Esta chave de recuperação não pertence a este perfil e nada foi alterado; confira se "
        "é a folha deste computador.": (
            "This recovery key does not belong to this profile and nothing was changed; check "
            "that it is this computer's sheet."
        ),
        "A chave de recuperação tem um erro de digitação; confira cada grupo com a folha "
        "impressa.": (
            "The recovery key has a typing mistake; check each group against the printed sheet."
        ),
        "Este perfil ainda não tem chaves de criptografia; conclua a configuração inicial.": (
            "This profile has no encryption keys yet; finish the first-run set-up."
        ),
        "Este perfil já tem chaves de criptografia e nenhuma chave nova será criada sobre os "
        "dados existentes; use a chave de recuperação se o cofre falhar.": (
            "This profile already has encryption keys and no new key will be made over the "
            "existing data; use the recovery key if the keyring fails."
        ),
        "Há um histórico neste perfil, mas o arquivo de chaves (keys.json) sumiu; restaure-o "
        "de um backup, pois uma chave nova não abriria os dados antigos.": (
            "This profile has a history but its key file (keys.json) is gone; restore it from a "
            "backup, as a new key would not open the old data."
        ),
        "O arquivo de chaves do perfil (keys.json) está danificado ou é de uma versão mais "
        "nova; restaure-o de um backup ou atualize o aplicativo.": (
            "The profile's key file (keys.json) is damaged or from a newer version; restore it "
            "from a backup or update the app."
        ),
        "O inbox não está conectado ao relay.": "The inbox is not connected to the relay.",
        "Sem conexão com o relay; tente de novo quando a conexão voltar.": (
            "No connection to the relay; try again when the connection is back."
        ),
        "Não foi possível carregar os modelos aprovados.": (
            "The approved templates could not be loaded."
        ),
        "O relay recusou a alteração; tente de novo.": ("The relay refused the change; try again."),
        "O banco de dados criptografado (SQLCipher) não está disponível nesta instalação; "
        "reinstale o aplicativo.": (
            "The encrypted database (SQLCipher) is not available in this installation; "
            "reinstall the app."
        ),
        "O histórico não pôde ser aberto com esta chave; nada foi alterado. Use a chave de "
        "recuperação.": (
            "The history could not be opened with this key; nothing was changed. Use the "
            "recovery key."
        ),
        "O relay recusou este computador (dispositivo revogado ou desconhecido); peça um novo "
        "código ao administrador.": (
            "The relay refused this computer (device revoked or unknown); ask the administrator "
            "for a new code."
        ),
        "Não foi possível sincronizar com o relay; verifique o endereço e a conexão.": (
            "Could not sync with the relay; check the address and the connection."
        ),
        "A mídia não está mais disponível no WhatsApp (expira em 7 dias).": (
            "The media is no longer available on WhatsApp (it expires after 7 days)."
        ),
        "O relay não conseguiu baixar a mídia agora.": (
            "The relay could not download the media just now."
        ),
        "A mídia passa do limite de 100 MB.": "The media is over the 100 MB limit.",
        "Sem conexão com o relay para baixar a mídia.": (
            "No connection to the relay to download the media."
        ),
        "Este computador ainda não foi conectado ao relay; use "
        "'crm-whatsapp enroll ENDEREÇO CÓDIGO'.": (
            "This computer is not connected to the relay yet; use "
            "'crm-whatsapp enroll ADDRESS CODE'."
        ),
    },
    "RecoveryPage": {
        "Chave de recuperação": "Recovery key",
        "Esta chave abre o histórico num computador novo ou se o cofre de senhas do sistema se "
        "perder. Ela só é mostrada agora: imprima, anote ou salve num pendrive guardado, nunca "
        "no próprio computador.": "This key opens the history on a new computer, or if the "
        "system's password vault is lost. It is shown only now: print it, write it down or "
        "save it to a USB drive kept somewhere safe, never on this computer itself.",
        "Copiar": "Copy",
        "Salvar em arquivo…": "Save to file…",
        "Guardei a chave de recuperação em lugar seguro": "I have stored the recovery key in a "
        "safe place",
        "Chave copiada. Cole-a num lugar seguro e limpe a área de transferência.": "Key "
        "copied. Paste it somewhere safe, then clear the clipboard.",
        "Salvar chave de recuperação": "Save recovery key",
        "Texto (*.txt)": "Text (*.txt)",
        "chave-de-recuperacao-crm-whatsapp.txt": "crm-whatsapp-recovery-key.txt",
        "CRM WhatsApp — chave de recuperação": "CRM WhatsApp — recovery key",
        "Computador: {0}": "Computer: {0}",
        "Guarde esta folha longe do computador. Quem tiver esta chave e o arquivo do perfil "
        "consegue ler o histórico.": "Keep this sheet away from the computer. Anyone who has "
        "this key and the profile file can read the history.",
        "Não foi possível salvar o arquivo; escolha outra pasta ou um pendrive.": "Couldn't "
        "save the file; choose another folder or a USB drive.",
        "Chave salva em {0}.": "Key saved to {0}.",
    },
    # The recovery key a silent install kept, shown at first start (issue 17); the rest of
    # its words are RecoveryPage's.
    "RecoveryNotice": {
        "Este computador foi configurado pelo suporte. Antes de começar, guarde a chave de "
        "recuperação do histórico.": "Your IT team set up this computer. Before you start, "
        "keep the history's recovery key somewhere safe.",
        "Concluir": "Done",
        "Mostrar depois": "Show later",
    },
    "SettingsDialog": {
        # Signed update checks (issue 17).
        "Endereço de atualizações:": "Updates address:",
        "Desligado": "Off",
        "O endereço de atualizações deve começar com https://.": (
            "The updates address must start with https://."
        ),
        "Auditoria": "Audit",
        "CRM": "CRM",
        "Não foi possível salvar as configurações dos plugins de CRM; confira o cofre de senhas do "
        "sistema e o espaço em disco e tente de novo.": "The CRM plugins' settings could not be "
        "saved; check the system's password vault and the free disk space and try again.",
        "Não foi possível guardar a chave da API ou as informações do escritório; confira o cofre de senhas do sistema e tente de novo.": "Could not keep the API key or the office information; check the system's password store and try again.",  # noqa: E501
        "Para sempre": "Forever",
        "{0} meses": "{0} months",
        "Guardar o histórico:": "Keep history:",
        "Configurações": "Settings",
        "Geral": "General",
        "Notificações": "Notifications",
        "Relay": "Relay",
        "Respostas rápidas": "Quick replies",
        "Copilot": "Copilot",
        "OK": "OK",
        "Cancelar": "Cancel",
        "Sistema": "System",
        "Claro": "Light",
        "Escuro": "Dark",
        "Idioma:": "Language:",
        "Tema:": "Theme:",
        "Mostrar notificação na área de trabalho quando chegar mensagem": "Show a desktop "
        "notification when a message arrives",
        "Tocar som ao chegar mensagem": "Play a sound when a message arrives",
        "Para conectar este computador a outro relay, ou de novo ao mesmo, é preciso um código "
        "de ativação novo, gerado pelo administrador.": "To connect this computer to another "
        "relay, or to the same one again, you need a new activation code from the "
        "administrator.",
        "Endereço do relay:": "Relay address:",
        "Nome deste computador:": "Computer name:",
        "Atalho": "Shortcut",
        "Texto": "Text",
        "ex.: bomdia": "e.g. goodmorning",
        "Texto enviado ao digitar /atalho": "Text sent when you type /shortcut",
        "Nova": "New",
        "Salvar resposta": "Save reply",
        "Remover": "Remove",
        "Atalho:": "Shortcut:",
        "Texto:": "Text:",
        "Sugerir respostas com o Copilot": "Suggest replies with Copilot",
        "https://api.exemplo.com/v1": "https://api.example.com/v1",
        # The Copilot's language model, not a WhatsApp message template.
        "nome do modelo": "model name",
        "Ocultar dados pessoais (CPF, e-mail, telefone) antes de enviar ao modelo": "Hide "
        "personal data (CPF, email, phone) before sending to the model",
        "Endereço da API:": "API address:",
        "Modelo:": "Model:",
        "O endereço da API do Copilot deve começar com https://.": "The Copilot API address "
        "must start with https://.",
        "Não foi possível salvar as configurações; verifique o espaço em disco e tente de "
        "novo.": "Couldn't save the settings; check the free disk space and try again.",
    },
    "SetupWizard": {
        "Configurar o CRM WhatsApp": "Set up CRM WhatsApp",
        "Voltar": "Back",
        "Avançar": "Next",
        "Conectar": "Connect",
        "Concluir": "Finish",
        "Cancelar": "Cancel",
        "Este computador já tem um histórico protegido; informe um código de ativação novo "
        "para conectá-lo de novo ao relay.": "This computer already has a protected history; "
        "enter a new activation code to connect it to the relay again.",
        "Não foi possível concluir a configuração; tente de novo e, se continuar, chame o "
        "suporte.": "Couldn't finish the setup; try again and, if it keeps failing, contact "
        "support.",
        "Guarde a chave de recuperação e marque a confirmação para concluir.": "Store the "
        "recovery key and tick the confirmation box to finish.",
    },
    "Status": {
        "Enviando…": "Sending…",
        "Aceita pela Meta": "Accepted by Meta",
        "Enviada": "Sent",
        "Entregue": "Delivered",
        "Lida": "Read",
        "Falhou": "Failed",
    },
    "TemplateDialog": {
        "Enviar modelo aprovado": "Send approved template",
        "Nenhum modelo aprovado está disponível.": "No approved templates are available.",
        "Preencha as variáveis": "Fill in the variables",
        "Enviar modelo": "Send template",
        "Cancelar": "Cancel",
        "Texto do modelo:": "Template text:",
        "Como o cliente vai ler:": "What the customer will read:",
        "Este modelo pede um cabeçalho de localização ou botões de código, e ainda não pode ser "
        "enviado por aqui.": "This template asks for a location header or code buttons, and "
        "can't be sent from here yet.",
        "ex.: {0}": "e.g. {0}",
        "Imagens (*.jpg *.jpeg *.png)": "Images (*.jpg *.jpeg *.png)",
        "Vídeos (*.mp4 *.3gp)": "Videos (*.mp4 *.3gp)",
        "Documentos (*.pdf *.doc *.docx *.xls *.xlsx *.ppt *.pptx *.txt)": (
            "Documents (*.pdf *.doc *.docx *.xls *.xlsx *.ppt *.pptx *.txt)"
        ),
        "Escolher arquivo…": "Choose file…",
        "Cabeçalho:": "Header:",
        "Cabeçalho {0}": "Header {0}",
        "Botão “{0}”": "Button “{0}”",
        "Arquivo do cabeçalho": "Header file",
        "Escolha um arquivo de até 16 MB para o cabeçalho.": (
            "Choose a file of up to 16 MB for the header."
        ),
        "Não foi possível ler o arquivo do cabeçalho.": "The header file could not be read.",
    },
    "CrmCard": {
        "Abrir no CRM": "Open in the CRM",
        "Criar contato": "Create contact",
        "Consultando…": "Looking up…",
        "Nenhum cadastro com este número.": "No record with this number.",
        "(sem nome)": "(no name)",
        "Empresa": "Company",
        "E-mail": "E-mail",
        "Responsável": "Owner",
        "Telefones": "Phones",
        "Negócio: {0}": "Deal: {0}",
        "Última atividade: {0}": "Last activity: {0}",
    },
    "CrmWiring": {
        "Lead criado no {0}": "Lead created in {0}",
        "Negócio criado no {0}": "Deal created in {0}",
        "Contato criado no {0}": "Contact created in {0}",
        "Conversa registrada no {0}": "Conversation logged in {0}",
        "Criar lead no CRM…": "Create lead in the CRM…",
        "Registrar a conversa no CRM": "Log the conversation in the CRM",
        "CRM": "CRM",
        "Criar lead no CRM": "Create lead in the CRM",
        "Título": "Title",
    },
    "PluginsPage": {
        "Nenhum plugin de CRM instalado. Os plugins do RD Station CRM, Kommo, Pipedrive e "
        "HubSpot vêm com o programa; veja docs/plugins.md.": "No CRM plugin installed. The "
        "RD Station CRM, Kommo, Pipedrive and HubSpot plugins ship with the program; see "
        "docs/plugins.md.",
        "Este plugin não pode ser usado: {0}.": "This plugin cannot be used: {0}.",
        "salvo no cofre do sistema (deixe em branco para manter)": "saved in the system's vault "
        "(leave blank to keep it)",
        "Registrar a conversa no CRM ao resolver": "Log the conversation in the CRM on resolve",
    },
    "Activity": {
        # Thread lines of team changes: {0} is who did it (a device's name).
        "Adiada até {0}": "Snoozed until {0}",
        "Adiada": "Snoozed",
        "Aberta": "Open",
        "Pendente": "Pending",
        "Resolvida": "Resolved",
        "{0} removeu a atribuição": "{0} unassigned the conversation",
        "{0} assumiu a conversa": "{0} took the conversation",
        "{0} atribuiu a {1}": "{0} assigned it to {1}",
        "{0} transferiu de {1} para {2}": "{0} transferred it from {1} to {2}",
        "{0} transferiu para {1}": "{0} transferred it to {1}",
        "{0} resolveu a conversa": "{0} resolved the conversation",
        "{0} marcou como pendente": "{0} marked it pending",
        "{0} adiou até {1}": "{0} snoozed it until {1}",
        "{0} reabriu a conversa": "{0} reopened the conversation",
        "{0} adicionou a etiqueta {1}": "{0} added the label {1}",
        "{0} removeu a etiqueta {1}": "{0} removed the label {1}",
        "Alguém": "Someone",
        "{0} alterou a conversa": "{0} changed the conversation",
    },
    "LabelPaletteDialog": {
        "Etiquetas da equipe": "Team labels",
        "Nova etiqueta…": "New label…",
        "Renomear…": "Rename…",
        "Cor": "Colour",
        "Excluir": "Delete",
        "Dê um nome à etiqueta.": "Give the label a name.",
        "Use no máximo 40 caracteres.": "Use at most 40 characters.",
        "Já existe uma etiqueta com esse nome.": "There is already a label with that name.",
        "A equipe pode ter até 50 etiquetas.": "The team can have up to 50 labels.",
        "Nome da etiqueta:": "Label name:",
        "Nova etiqueta": "New label",
        "Renomear etiqueta": "Rename label",
    },
    "SnoozeDialog": {
        "Adiar conversa": "Snooze conversation",
        "A conversa volta para Abertas em:": "The conversation comes back to Open on:",
    },
    "ThreadHeader": {
        "Aguardando o cliente ou a equipe: sai de Abertas e espera em Pendentes": (
            "Waiting on the customer or the team: leaves Open and waits in Pending"
        ),
        "Mais opções": "More options",
        "Remover atribuição": "Unassign",
        "Transferir para": "Transfer to",
        "{0} — online": "{0} — online",
        "Nenhuma etiqueta criada ainda": "No labels yet",
        "Gerenciar etiquetas…": "Manage labels…",
        "Marcar como não lida": "Mark as unread",
        "Desafixar conversa": "Unpin conversation",
        "Fixar conversa": "Pin conversation",
        "Adiar": "Snooze",
        "1 hora": "1 hour",
        "Amanhã, 9h": "Tomorrow, 9 am",
        "Próxima segunda, 9h": "Next Monday, 9 am",
        "Escolher data e hora…": "Pick a date and time…",
        "Atribuir": "Assign",
        "Etiquetas": "Labels",
        "Nota interna (só a equipe vê)": "Internal note (only your team sees it)",
        "Pendente": "Pending",
        "Nenhuma conversa aberta": "No conversation open",
        "janela aberta: {0}": "window open: {0} left",
        "janela de 24 h fechada": "24-hour window closed",
        # Subtitle part "com Ana": who the conversation is assigned to.
        "com {0}": "assigned to {0}",
        "sem responsável": "unassigned",
        "Reabrir": "Reopen",
        "Resolver": "Resolve",
        "Atribuir a mim": "Assign to me",
    },
    "VoicePlayer": {
        "Não foi possível tocar este áudio.": "This audio could not be played.",
        "Nenhuma saída de som foi encontrada neste computador; conecte fones ou caixas de som "
        "para ouvir o áudio.": "No sound output was found on this computer; connect "
        "headphones or speakers to listen to the audio.",
    },
    "ConnectionBanner": {
        "reconectando…": "reconnecting…",
        "tentando reconectar…": "trying to reconnect…",
        "Sem conexão com o servidor há {0} min — {1}": (
            "No connection to the server for {0} min — {1}"
        ),
        "Sem conexão com o servidor — {0}": "No connection to the server — {0}",
        "Tentar agora": "Try now",
        "As mensagens enviadas ficam na fila e saem quando voltar.": (
            "Messages you send wait in the queue and go out when it is back."
        ),
    },
    "CrmFields": {
        "Telefones": "Phones",
        "E-mails": "E-mails",
        "Cargo": "Job title",
        "Fase do ciclo de vida": "Lifecycle stage",
    },
    "SearchResults": {
        "Cliente": "Customer",
        "Nota de {0}": "Note by {0}",
        "Você": "You",
        "Mensagens ({0})": "Messages ({0})",
        "Nenhuma mensagem encontrada.": "No message found.",
    },
    "LatestButton": {
        "Ir para a mensagem mais recente": "Go to the latest message",
    },
    "Window": {
        "menos de 1 min": "less than 1 min",
        "{minutes} min": "{minutes} min",
        "{hours} h {minutes:02d} min": "{hours} h {minutes:02d} min",
        "{hours} h": "{hours} h",
    },
}


@dataclass
class Message:
    context: str
    source: str
    comment: str | None
    translation: str
    finished: bool
    numerus: bool


def placeholders(text: str) -> list[str]:
    """The placeholders and HTML tags of ``text``, sorted, to compare source and translation."""
    return sorted(PLACEHOLDER.findall(text) + TAG.findall(text))


def protect(text: str) -> str:
    """XML-escape ``text`` the way lupdate does, so its next run changes nothing."""
    out = []
    for ch in text:
        if ch == '"':
            out.append("&quot;")
        elif ch == "&":
            out.append("&amp;")
        elif ch == ">":
            out.append("&gt;")
        elif ch == "<":
            out.append("&lt;")
        elif ch == "'":
            out.append("&apos;")
        elif (ord(ch) < 0x20 or (ord(ch) > 0x7F and ch.isspace())) and ch not in "\n\t":
            out.append(f"&#x{ord(ch):x};")
        else:
            out.append(ch)
    return "".join(out)


def messages(ts: Path) -> list[Message]:
    """Every message of ``ts``, in file order."""
    found = []
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            assert translation is not None, f"{ts}: a message without <translation>"
            found.append(
                Message(
                    context=name,
                    source=message.findtext("source") or "",
                    comment=message.findtext("comment"),
                    translation="".join(translation.itertext()),
                    finished=translation.get("type") not in ("unfinished", "vanished", "obsolete"),
                    numerus=message.get("numerus") == "yes",
                )
            )
    return found


def english(message: Message) -> str | None:
    table = ENGLISH.get(message.context, {})
    if message.comment is not None:
        return table.get((message.source, message.comment))
    return table.get(message.source)


_TRANSLATION = re.compile(r"<translation(?:\s[^>]*)?(?:/>|>.*?</translation>)", re.DOTALL)


def fill(ts: Path, choose) -> tuple[int, list[Message]]:
    """Fill the unfinished messages of ``ts`` with ``choose(message)``; return (filled, left)."""
    text = ts.read_text(encoding="utf-8")
    found = messages(ts)
    spans = list(_TRANSLATION.finditer(text))
    if len(spans) != len(found):
        raise SystemExit(f"{ts}: {len(found)} messages but {len(spans)} <translation> elements")
    pieces, last, filled, left = [], 0, 0, []
    for message, span in zip(found, spans, strict=True):
        if message.finished:
            continue
        chosen = None if message.numerus else choose(message)
        if chosen is not None and placeholders(chosen) != placeholders(message.source):
            print(
                f"{ts.name}: placeholders differ, not filled: [{message.context}] "
                f"{message.source!r} -> {chosen!r}",
                file=sys.stderr,
            )
            chosen = None
        if not chosen:
            left.append(message)
            continue
        pieces += [text[last : span.start()], f"<translation>{protect(chosen)}</translation>"]
        last = span.end()
        filled += 1
    pieces.append(text[last:])
    if filled:
        ts.write_text("".join(pieces), encoding="utf-8")
    return filled, left


def main() -> int:
    english_ts = TRANSLATIONS / "crm_whatsapp_en.ts"
    portuguese_ts = TRANSLATIONS / "crm_whatsapp_pt_BR.ts"

    def to_english(message: Message) -> str | None:
        if message.context == "":
            # lupdate misread a call (e.g. a local alias ``tr = QCoreApplication.translate``
            # read as ``tr(source, disambiguation)``): nothing looks this pair up at run time.
            print(
                f"warning: message without a context (misread call): {message.source!r} "
                f"{message.comment or ''!r}",
                file=sys.stderr,
            )
            return message.source
        return english(message)

    check = "--check" in sys.argv[1:]
    status = 0
    for ts, choose in ((portuguese_ts, lambda m: m.source), (english_ts, to_english)):
        if not ts.exists():
            print(f"{ts} does not exist; run tools/translations.sh first", file=sys.stderr)
            return 1
        filled, left = fill(ts, choose)
        print(f"{ts.name}: {filled} filled, {len(left)} unfinished")
        for message in left:
            status = 1 if check else 0
            print(f"  untranslated [{message.context}] {message.source!r}", file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
