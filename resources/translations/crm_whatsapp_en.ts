<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="pt_BR">
<context>
    <name>Activity</name>
    <message>
        <location filename="../../crm_whatsapp/ui/activity.py" line="+39"/>
        <source>Adiada até {0}</source>
        <translation>Snoozed until {0}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Adiada</source>
        <translation>Snoozed</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Aberta</source>
        <translation>Open</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pendente</source>
        <translation>Pending</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Resolvida</source>
        <translation>Resolved</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>{0} removeu a atribuição</source>
        <translation>{0} unassigned the conversation</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{0} assumiu a conversa</source>
        <translation>{0} took the conversation</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{0} atribuiu a {1}</source>
        <translation>{0} assigned it to {1}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{0} transferiu para {1}</source>
        <translation>{0} transferred it to {1}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0} transferiu de {1} para {2}</source>
        <translation>{0} transferred it from {1} to {2}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{0} resolveu a conversa</source>
        <translation>{0} resolved the conversation</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{0} marcou como pendente</source>
        <translation>{0} marked it pending</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{0} adiou até {1}</source>
        <translation>{0} snoozed it until {1}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{0} reabriu a conversa</source>
        <translation>{0} reopened the conversation</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>{0} adicionou a etiqueta {1}</source>
        <translation>{0} added the label {1}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{0} removeu a etiqueta {1}</source>
        <translation>{0} removed the label {1}</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Alguém</source>
        <translation>Someone</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{0} alterou a conversa</source>
        <translation>{0} changed the conversation</translation>
    </message>
</context>
<context>
    <name>AttachDialog</name>
    <message>
        <location filename="../../crm_whatsapp/domain/attachments.py" line="+41"/>
        <source>O arquivo está vazio e não será enviado.</source>
        <translation>The file is empty and will not be sent.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Não foi possível ler este arquivo; ele não será enviado.</source>
        <translation>This file could not be read; it will not be sent.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A Meta só aceita fotos de até 5 MB; esta não será enviada.</source>
        <translation>Meta only accepts photos up to 5 MB; this one will not be sent.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A Meta só aceita vídeos de até 16 MB; este não será enviado.</source>
        <translation>Meta only accepts videos up to 16 MB; this one will not be sent.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A Meta só aceita áudios de até 16 MB; este não será enviado.</source>
        <translation>Meta only accepts audio up to 16 MB; this one will not be sent.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A Meta só aceita documentos de até 100 MB; este não será enviado.</source>
        <translation>Meta only accepts documents up to 100 MB; this one will not be sent.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>A Meta só aceita fotos JPEG ou PNG; esta não será enviada.</source>
        <translation>Meta only accepts JPEG or PNG photos; this one will not be sent.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A Meta só aceita vídeos MP4 ou 3GP; este não será enviado.</source>
        <translation>Meta only accepts MP4 or 3GP videos; this one will not be sent.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A Meta só aceita áudios AAC, AMR, MP3, M4A ou OGG; este não será enviado.</source>
        <translation>Meta only accepts AAC, AMR, MP3, M4A or OGG audio; this one will not be sent.</translation>
    </message>
    <message>
        <location filename="../../crm_whatsapp/ui/attach_dialog.py" line="+124"/>
        <source>Remover este arquivo</source>
        <translation>Remove this file</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Enviar arquivos</source>
        <translation>Send files</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Cancelar</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Enviar</source>
        <translation>Send</translation>
    </message>
    <message>
        <location line="+70"/>
        <source>Adicione uma legenda…</source>
        <translation>Add a caption…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Áudios são enviados sem legenda.</source>
        <translation>Audio is sent without a caption.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>{0} arquivo(s) para enviar</source>
        <translation>{0} file(s) to send</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>{0} de {1} arquivo(s) serão enviados</source>
        <translation>{0} of {1} file(s) will be sent</translation>
    </message>
    <message>
        <location line="+100"/>
        <source>Não foi possível ler o arquivo {0}.</source>
        <translation>The file {0} could not be read.</translation>
    </message>
</context>
<context>
    <name>Audit</name>
    <message>
        <location filename="../../crm_whatsapp/audit.py" line="+43"/>
        <source>Exportação de contato</source>
        <translation>Contact export</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Exclusão de contato</source>
        <translation>Contact erasure</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chave de recuperação exibida</source>
        <translation>Recovery key shown</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Histórico aberto com a chave de recuperação</source>
        <translation>History opened with the recovery key</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Plugin de CRM ligado</source>
        <translation>CRM plugin turned on</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Plugin de CRM desligado</source>
        <translation>CRM plugin turned off</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Configuração de plugin alterada</source>
        <translation>Plugin settings changed</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Conversa atribuída</source>
        <translation>Conversation assigned</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Conversa transferida</source>
        <translation>Conversation transferred</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Conversa sem responsável</source>
        <translation>Conversation unassigned</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Data e hora</source>
        <translation>Date and time</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ação</source>
        <translation>Action</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Quem</source>
        <translation>Who</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sobre</source>
        <translation>About</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Detalhe</source>
        <translation>Detail</translation>
    </message>
</context>
<context>
    <name>AuditPage</name>
    <message>
        <location filename="../../crm_whatsapp/ui/audit_settings.py" line="+66"/>
        <source>Tudo</source>
        <translation>Everything</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Exportações</source>
        <translation>Exports</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Exclusões de contato</source>
        <translation>Contact erasures</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chave de recuperação</source>
        <translation>Recovery key</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Plugins de CRM</source>
        <translation>CRM plugins</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Atribuições e transferências</source>
        <translation>Assignments and transfers</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Exportar CSV…</source>
        <translation>Export CSV…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Data e hora</source>
        <translation>Date and time</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ação</source>
        <translation>Action</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Quem</source>
        <translation>Who</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sobre</source>
        <translation>About</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Detalhe</source>
        <translation>Detail</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Nada registrado ainda.</source>
        <translation>Nothing recorded yet.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Mostrar:</source>
        <translation>Show:</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Exportações, exclusões, chaves de recuperação, plugins e atribuições, de todos os computadores do escritório; nunca o texto das mensagens.</source>
        <translation>Exports, erasures, recovery keys, plugins and assignments, from every computer in the office; never the messages&apos; text.</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Não foi possível ler o registro de auditoria agora.</source>
        <translation>The audit trail could not be read now.</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Ainda não enviado ao relay.</source>
        <translation>Not sent to the relay yet.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Exportar auditoria</source>
        <translation>Export audit trail</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Planilha CSV (*.csv)</source>
        <translation>CSV spreadsheet (*.csv)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Não foi possível salvar o arquivo; escolha outra pasta.</source>
        <translation>The file could not be saved; choose another folder.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Registro salvo em {0}.</source>
        <translation>Trail saved to {0}.</translation>
    </message>
</context>
<context>
    <name>BubbleDelegate</name>
    <message>
        <location filename="../../crm_whatsapp/ui/delegates/bubble.py" line="+64"/>
        <source>Foto</source>
        <translation>Photo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Figurinha</source>
        <translation>Sticker</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Áudio</source>
        <translation>Audio</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Vídeo</source>
        <translation>Video</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Documento</source>
        <translation>Document</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Localização</source>
        <translation>Location</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Contato</source>
        <translation>Contact</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Foto do cabeçalho</source>
        <translation>Header photo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Vídeo do cabeçalho</source>
        <translation>Header video</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Documento do cabeçalho</source>
        <translation>Header document</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>uma edição de mensagem</source>
        <translation>an edit of a message</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>uma enquete</source>
        <translation>a poll</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>uma mídia de visualização única</source>
        <translation>a view-once photo or video</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>um vídeo circular</source>
        <translation>a video note</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>um evento</source>
        <translation>an event</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>um álbum de fotos</source>
        <translation>a photo album</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Resposta de botão</source>
        <translation>Button reply</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Mensagem do tipo {0}</source>
        <translation>Message of type {0}</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>Modelo «{0}»</source>
        <translation>Template “{0}”</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>O cliente enviou algo que o WhatsApp não repassa: {0}.</source>
        <translation>The customer sent something WhatsApp does not pass on: {0}.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>O cliente enviou um tipo de mensagem não suportado.</source>
        <translation>The customer sent a type of message that is not supported.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Peça que reenvie de outra forma (texto, foto ou documento).</source>
        <translation>Ask them to send it another way (text, photo or document).</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Editada; o texto original não está no histórico.</source>
        <translation>Edited; the original text is not in the history.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Editada. Original: {0}</source>
        <translation>Edited. Original: {0}</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Encaminhada</source>
        <translation>Forwarded</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Mensagem apagada</source>
        <translation>This message was deleted</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Abrir no mapa</source>
        <translation>View on map</translation>
    </message>
    <message>
        <location line="+426"/>
        <source>Prévia indisponível</source>
        <translation>Preview unavailable</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <location filename="../../crm_whatsapp/ui/widgets/composer.py" line="+240"/>
        <source>Cancelar resposta</source>
        <translation>Cancel reply</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Mais de 24 horas desde a última mensagem do cliente: a Meta só permite modelos aprovados até ele responder.</source>
        <translation>More than 24 hours since the customer&apos;s last message: Meta only allows approved templates until they reply.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Escolher modelo…</source>
        <translation>Choose template…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Digite uma mensagem (/ para respostas rápidas)</source>
        <translation>Type a message (/ for quick replies)</translation>
    </message>
    <message>
        <location line="-11"/>
        <source>Anexar arquivo</source>
        <translation>Attach file</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Enviar modelo aprovado</source>
        <translation>Send approved template</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Enviar (Enter)</source>
        <translation>Send (Enter)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Emojis</source>
        <translation>Emoji</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Gravar mensagem de voz</source>
        <translation>Record a voice message</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancelar gravação</source>
        <translation>Cancel recording</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Enviar mensagem de voz</source>
        <translation>Send voice message</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Janela de 24 horas fechada: envie um modelo.</source>
        <translation>24-hour window closed: send a template.</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+41"/>
        <source>Respondendo a: {0}</source>
        <translation>Replying to: {0}</translation>
    </message>
    <message>
        <location line="+107"/>
        <source>● Gravando {0}:{1:02d}</source>
        <translation>● Recording {0}:{1:02d}</translation>
    </message>
</context>
<context>
    <name>ConnectPage</name>
    <message>
        <location filename="../../crm_whatsapp/ui/wizard.py" line="+118"/>
        <source>Conectar ao relay</source>
        <translation>Connect to the relay</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Informe o endereço do relay do escritório e o código de ativação que o administrador gerou para este computador.</source>
        <translation>Enter your office&apos;s relay address and the activation code the administrator generated for this computer.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>https://relay.seuescritorio.com.br</source>
        <translation>https://relay.youroffice.com</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>É o nome que os colegas veem como autor das mensagens e responsável.</source>
        <translation>This is the name your colleagues see as the author of your messages and as the assignee.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Endereço do relay:</source>
        <translation>Relay address:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Código de ativação:</source>
        <translation>Activation code:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nome deste computador:</source>
        <translation>Computer name:</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Conectando ao relay…</source>
        <translation>Connecting to the relay…</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>O endereço do relay deve começar com https://.</source>
        <translation>The relay address must start with https://.</translation>
    </message>
</context>
<context>
    <name>ConnectionBanner</name>
    <message>
        <location filename="../../crm_whatsapp/ui/widgets/connection_banner.py" line="+86"/>
        <source>reconectando…</source>
        <translation>reconnecting…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>tentando reconectar…</source>
        <translation>trying to reconnect…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sem conexão com o servidor há {0} min — {1}</source>
        <translation>No connection to the server for {0} min — {1}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sem conexão com o servidor — {0}</source>
        <translation>No connection to the server — {0}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tentar agora</source>
        <translation>Try now</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>As mensagens enviadas ficam na fila e saem quando voltar.</source>
        <translation>Messages you send wait in the queue and go out when it is back.</translation>
    </message>
</context>
<context>
    <name>ConversationDelegate</name>
    <message>
        <location filename="../../crm_whatsapp/ui/delegates/conversation.py" line="+63"/>
        <source>janela fechada</source>
        <translation>window closed</translation>
    </message>
</context>
<context>
    <name>Copilot</name>
    <message>
        <location filename="../../crm_whatsapp/ui/copilot_wiring.py" line="+78"/>
        <source>Fechar</source>
        <translation>Close</translation>
    </message>
    <message>
        <location line="+219"/>
        <location line="+22"/>
        <source>Resposta rápida</source>
        <translation>Quick reply</translation>
    </message>
    <message>
        <location line="-15"/>
        <source>Você já escreveu esta resposta várias vezes. Salvar como resposta rápida?</source>
        <translation>You have written this reply several times. Save it as a quick reply?</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Salvar</source>
        <translation>Save</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Agora não</source>
        <translation>Not now</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Atalho (digitado depois de /):</source>
        <translation>Shortcut (typed after /):</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Resumindo a conversa…</source>
        <translation>Summarising the conversation…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Resumo da conversa</source>
        <translation>Conversation summary</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Para quem vai assumir a conversa. Confira antes de usar.</source>
        <translation>For whoever takes over the conversation. Check it before using it.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Adicionar como nota interna</source>
        <translation>Add as an internal note</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Escreva um rascunho para o Copilot reescrever.</source>
        <translation>Write a draft for the Copilot to rewrite.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Reescrevendo o rascunho…</source>
        <translation>Rewriting the draft…</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Não há mensagem do cliente para traduzir.</source>
        <translation>There is no customer message to translate.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Tradução</source>
        <translation>Translation</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Nada foi enviado a um modelo desde que o programa abriu.</source>
        <translation>Nothing has been sent to a model since the program opened.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>O que sai deste computador</source>
        <translation>What leaves this computer</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>A última requisição enviada ao modelo, exatamente como saiu. Dados pessoais aparecem como [CPF_1], [EMAIL_1]… e só este computador sabe os valores.</source>
        <translation>The last request sent to the model, exactly as it left. Personal data appears as [CPF_1], [EMAIL_1]… and only this computer knows the values.</translation>
    </message>
</context>
<context>
    <name>CopilotPage</name>
    <message>
        <location filename="../../crm_whatsapp/ui/copilot_settings.py" line="+60"/>
        <source>Sugerir respostas com o Copilot</source>
        <translation>Suggest replies with the Copilot</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Usar também um modelo de IA (OpenAI ou compatível: Ollama, vLLM…)</source>
        <translation>Also use an AI model (OpenAI or compatible: Ollama, vLLM…)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>https://api.exemplo.com/v1</source>
        <translation>https://api.example.com/v1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>nome do modelo</source>
        <translation>model name</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>guardada no cofre de senhas do sistema</source>
        <translation>kept in the system&apos;s password store</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ocultar dados pessoais (CPF, e-mail, telefone) antes de enviar ao modelo</source>
        <translation>Hide personal data (CPF, e-mail, phone) before sending to the model</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Testar conexão</source>
        <translation>Test connection</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Horários, preços, endereços, políticas: o que o modelo pode citar. Ele não inventa o que não estiver aqui.</source>
        <translation>Opening hours, prices, addresses, policies: what the model may quote. It does not make up what is not here.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Endereço da API:</source>
        <translation>API address:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Modelo:</source>
        <translation>Model:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chave da API:</source>
        <translation>API key:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Informações do escritório:</source>
        <translation>Office information:</translation>
    </message>
    <message>
        <location line="+60"/>
        <source>Nenhuma sugestão mostrada nos últimos 30 dias.</source>
        <translation>No suggestions shown in the last 30 days.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>histórico da equipe</source>
        <translation>team history</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>modelo de IA</source>
        <translation>AI model</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{0}: {1}% de {2} sugestões aproveitadas ({3} como estavam, {4} editadas)</source>
        <translation>{0}: {1}% of {2} suggestions used ({3} as they were, {4} edited)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Últimos 30 dias — </source>
        <translation>Last 30 days — </translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Testando…</source>
        <translation>Testing…</translation>
    </message>
</context>
<context>
    <name>CrmCard</name>
    <message>
        <location filename="../../crm_whatsapp/ui/widgets/crm_card.py" line="+85"/>
        <location line="+87"/>
        <source>Abrir no CRM</source>
        <translation>Open in the CRM</translation>
    </message>
    <message>
        <location line="-85"/>
        <location line="+86"/>
        <source>Criar contato</source>
        <translation>Create contact</translation>
    </message>
    <message>
        <location line="-67"/>
        <location line="+69"/>
        <source>Consultando…</source>
        <translation>Looking up…</translation>
    </message>
    <message>
        <location line="-50"/>
        <location line="+56"/>
        <source>Nenhum cadastro com este número.</source>
        <translation>No record with this number.</translation>
    </message>
    <message>
        <location line="-29"/>
        <source>(sem nome)</source>
        <translation>(no name)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Empresa</source>
        <translation>Company</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Responsável</source>
        <translation>Owner</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Telefones</source>
        <translation>Phones</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Negócio: {0}</source>
        <translation>Deal: {0}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Última atividade: {0}</source>
        <translation>Last activity: {0}</translation>
    </message>
</context>
<context>
    <name>CrmFields</name>
    <message>
        <location line="-129"/>
        <source>Telefones</source>
        <translation>Phones</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>E-mails</source>
        <translation>E-mails</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cargo</source>
        <translation>Job title</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fase do ciclo de vida</source>
        <translation>Lifecycle stage</translation>
    </message>
</context>
<context>
    <name>CrmWiring</name>
    <message>
        <location filename="../../crm_whatsapp/ui/crm_wiring.py" line="+33"/>
        <source>Lead criado no {0}</source>
        <translation>Lead created in {0}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Negócio criado no {0}</source>
        <translation>Deal created in {0}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Contato criado no {0}</source>
        <translation>Contact created in {0}</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>Conversa registrada no {0}</source>
        <translation>Conversation logged in {0}</translation>
    </message>
    <message>
        <location line="+52"/>
        <source>Criar lead no CRM…</source>
        <translation>Create lead in the CRM…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Registrar a conversa no CRM</source>
        <translation>Log the conversation in the CRM</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CRM</source>
        <translation>CRM</translation>
    </message>
    <message>
        <location line="+112"/>
        <source>Criar lead no CRM</source>
        <translation>Create lead in the CRM</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Título</source>
        <translation>Title</translation>
    </message>
</context>
<context>
    <name>Dates</name>
    <message>
        <location filename="../../crm_whatsapp/domain/dates.py" line="+16"/>
        <source>segunda-feira</source>
        <translation>Monday</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>terça-feira</source>
        <translation>Tuesday</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>quarta-feira</source>
        <translation>Wednesday</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>quinta-feira</source>
        <translation>Thursday</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>sexta-feira</source>
        <translation>Friday</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>sábado</source>
        <translation>Saturday</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>domingo</source>
        <translation>Sunday</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>janeiro</source>
        <translation>January</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>fevereiro</source>
        <translation>February</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>março</source>
        <translation>March</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>abril</source>
        <translation>April</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>maio</source>
        <translation>May</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>junho</source>
        <translation>June</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>julho</source>
        <translation>July</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>agosto</source>
        <translation>August</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>setembro</source>
        <translation>September</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>outubro</source>
        <translation>October</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>novembro</source>
        <translation>November</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>dezembro</source>
        <translation>December</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Hoje</source>
        <translation>Today</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ontem</source>
        <translation>Yesterday</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{hour:02d}:{minute:02d}</source>
        <translation>{hour:02d}:{minute:02d}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{day:02d}/{month:02d}/{year}</source>
        <translation>{month:02d}/{day:02d}/{year}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{day} de {month} de {year}</source>
        <translation>{month} {day}, {year}</translation>
    </message>
</context>
<context>
    <name>EmojiPicker</name>
    <message>
        <location filename="../../crm_whatsapp/ui/emoji_picker.py" line="+23"/>
        <source>Carinhas</source>
        <translation>Smileys</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Gestos</source>
        <translation>Gestures</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Corações</source>
        <translation>Hearts</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Objetos</source>
        <translation>Objects</translation>
    </message>
    <message>
        <location line="+66"/>
        <source>Recentes</source>
        <translation>Recent</translation>
    </message>
</context>
<context>
    <name>JumpDialog</name>
    <message>
        <location filename="../../crm_whatsapp/ui/jump.py" line="+39"/>
        <source>Ir para conversa</source>
        <translation>Go to conversation</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Nome, número ou palavra</source>
        <translation>Name, number or word</translation>
    </message>
</context>
<context>
    <name>LabelPaletteDialog</name>
    <message>
        <location filename="../../crm_whatsapp/ui/label_palette.py" line="+44"/>
        <source>Etiquetas da equipe</source>
        <translation>Team labels</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Nova etiqueta…</source>
        <translation>New label…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Renomear…</source>
        <translation>Rename…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cor</source>
        <translation>Colour</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Excluir</source>
        <translation>Delete</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>Dê um nome à etiqueta.</source>
        <translation>Give the label a name.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Use no máximo 40 caracteres.</source>
        <translation>Use at most 40 characters.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Já existe uma etiqueta com esse nome.</source>
        <translation>There is already a label with that name.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>A equipe pode ter até 50 etiquetas.</source>
        <translation>The team can have up to 50 labels.</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Nome da etiqueta:</source>
        <translation>Label name:</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Nova etiqueta</source>
        <translation>New label</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Renomear etiqueta</source>
        <translation>Rename label</translation>
    </message>
</context>
<context>
    <name>LatestButton</name>
    <message>
        <location filename="../../crm_whatsapp/ui/latest_button.py" line="+48"/>
        <source>Ir para a mensagem mais recente</source>
        <translation>Go to the latest message</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../crm_whatsapp/ui/mainwindow.py" line="+845"/>
        <source>CRM WhatsApp</source>
        <translation>CRM WhatsApp</translation>
    </message>
    <message>
        <location line="-453"/>
        <source>Pesquisar contatos e mensagens</source>
        <translation>Search contacts and messages</translation>
    </message>
    <message>
        <location line="+2"/>
        <location filename="../../crm_whatsapp/ui/team_wiring.py" line="+45"/>
        <source>Minhas</source>
        <translation>Mine</translation>
    </message>
    <message>
        <location line="+0"/>
        <location filename="../../crm_whatsapp/ui/team_wiring.py" line="+1"/>
        <source>Sem responsável</source>
        <translation>Unassigned</translation>
    </message>
    <message>
        <location line="+0"/>
        <location filename="../../crm_whatsapp/ui/team_wiring.py" line="+3"/>
        <source>Todas</source>
        <translation>All</translation>
    </message>
    <message>
        <location line="+0"/>
        <location filename="../../crm_whatsapp/ui/team_wiring.py" line="+1"/>
        <source>Não lidas</source>
        <translation>Unread</translation>
    </message>
    <message>
        <location line="+5"/>
        <location filename="../../crm_whatsapp/ui/team_wiring.py" line="+3"/>
        <source>Abertas</source>
        <translation>Open</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../crm_whatsapp/ui/team_wiring.py" line="+1"/>
        <source>Pendentes</source>
        <translation>Pending</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../crm_whatsapp/ui/team_wiring.py" line="+1"/>
        <source>Adiadas</source>
        <translation>Snoozed</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../crm_whatsapp/ui/team_wiring.py" line="+1"/>
        <source>Resolvidas</source>
        <translation>Resolved</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../crm_whatsapp/ui/team_wiring.py" line="+1"/>
        <source>Todas as situações</source>
        <translation>All statuses</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Configurações</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location line="+246"/>
        <source>Ver original</source>
        <translation>See original</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Mensagem original</source>
        <translation>Original message</translation>
    </message>
    <message>
        <location line="+196"/>
        <source>Este computador precisa de um novo código de ativação.</source>
        <translation>This computer needs a new enrollment code.</translation>
    </message>
    <message>
        <location line="+98"/>
        <source>Ainda não chegou nenhuma mensagem a este número da empresa: a primeira conversa precisa começar pelo cliente.</source>
        <translation>No message has reached the business number yet: the first conversation has to start with the customer.</translation>
    </message>
    <message>
        <location filename="../../crm_whatsapp/ui/media_files.py" line="+99"/>
        <location filename="../../crm_whatsapp/ui/tray.py" line="+44"/>
        <source>Abrir</source>
        <translation>Open</translation>
    </message>
    <message>
        <location filename="../../crm_whatsapp/ui/mainwindow.py" line="-544"/>
        <location filename="../../crm_whatsapp/ui/tray.py" line="+1"/>
        <source>Sair</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location line="+176"/>
        <source>Responsável: {0}</source>
        <translation>Assigned to: {0}</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>ninguém</source>
        <translation>no one</translation>
    </message>
    <message>
        <location line="+57"/>
        <source>Responder</source>
        <translation>Reply</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Reagir</source>
        <translation>React</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Copiar texto</source>
        <translation>Copy text</translation>
    </message>
    <message>
        <location filename="../../crm_whatsapp/ui/media_files.py" line="+2"/>
        <source>Abrir mídia</source>
        <translation>Open media</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Baixando mídia…</source>
        <translation>Downloading media…</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>O arquivo guardado desta mensagem está danificado e não pode ser aberto.</source>
        <translation>The stored file of this message is damaged and cannot be opened.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Não foi possível baixar a mídia; tente de novo.</source>
        <translation>Couldn&apos;t download the media; please try again.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>O arquivo desta mensagem não está mais neste computador.</source>
        <translation>This message&apos;s file is no longer on this computer.</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Imagem</source>
        <translation>Image</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Não foi possível preparar o arquivo para abrir; verifique o espaço livre no disco.</source>
        <translation>The file could not be prepared for opening; check the free disk space.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Nenhum programa deste computador abre este tipo de arquivo.</source>
        <translation>No program on this computer opens this kind of file.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Arquivo recebido</source>
        <translation>File received</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>“{0}” pode executar programas neste computador, por isso não é aberto aqui: use “Salvar como…” e abra-o só se confiar em quem o enviou.</source>
        <translation>“{0}” can run programs on this computer, so it is not opened from here: use “Save as…” and open it only if you trust whoever sent it.</translation>
    </message>
    <message>
        <location line="-120"/>
        <location line="+123"/>
        <location line="+15"/>
        <source>Salvar como…</source>
        <translation>Save as…</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Não foi possível salvar o arquivo; escolha outra pasta.</source>
        <translation>The file could not be saved; choose another folder.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Arquivo salvo.</source>
        <translation>File saved.</translation>
    </message>
    <message>
        <location filename="../../crm_whatsapp/ui/mainwindow.py" line="+51"/>
        <source>Anexar arquivos</source>
        <translation>Attach files</translation>
    </message>
    <message>
        <location filename="../../crm_whatsapp/ui/team_actions.py" line="+86"/>
        <source>Conversa pendente: saiu de Abertas e espera em Pendentes.</source>
        <translation>Conversation pending: it left Open and waits in Pending.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Conversa adiada: volta para Abertas em {0}.</source>
        <translation>Conversation snoozed: it comes back to Open on {0}.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Nota interna</source>
        <translation>Internal note</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Só a equipe vê esta nota:</source>
        <translation>Only your team can see this note:</translation>
    </message>
    <message>
        <location filename="../../crm_whatsapp/ui/tray.py" line="+5"/>
        <source>CRM WhatsApp: {0} não lidas</source>
        <translation>CRM WhatsApp: {0} unread</translation>
    </message>
    <message>
        <location filename="../../crm_whatsapp/ui/mainwindow.py" line="+149"/>
        <source>Conectando ao relay…</source>
        <translation>Connecting to the relay…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sincronizando mensagens…</source>
        <translation>Syncing messages…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Conectado</source>
        <translation>Connected</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Sem conexão: tentando de novo; as mensagens enviadas ficam na fila.</source>
        <translation>Offline: retrying; the messages you send are queued.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>A caixa de entrada não consegue aplicar o que chega do relay (as mensagens continuam guardadas no relay). Contate o suporte.</source>
        <translation>The inbox cannot apply what arrives from the relay (the messages stay stored on the relay). Contact support.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>%v de %m</source>
        <translation>%v of %m</translation>
    </message>
    <message>
        <location filename="../../crm_whatsapp/ui/settings_wiring.py" line="+129"/>
        <source>Não foi possível apagar o histórico antigo agora.</source>
        <translation>The old history could not be erased just now.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{0} mensagens antigas apagadas (guardar {1} meses).</source>
        <translation>{0} old messages erased (keep {1} months).</translation>
    </message>
    <message>
        <location filename="../../crm_whatsapp/ui/team_wiring.py" line="+3"/>
        <source>Nenhuma conversa atribuída a você.</source>
        <translation>No conversation is assigned to you.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nenhuma conversa sem responsável.</source>
        <translation>Every conversation has someone on it.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nenhuma conversa não lida.</source>
        <translation>No unread conversations.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Nenhuma conversa aberta.</source>
        <translation>No open conversations.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nenhuma conversa pendente.</source>
        <translation>No pending conversations.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nenhuma conversa adiada.</source>
        <translation>No snoozed conversations.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nenhuma conversa resolvida.</source>
        <translation>No resolved conversations.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nenhuma conversa ainda.</source>
        <translation>No conversations yet.</translation>
    </message>
    <message>
        <location line="+190"/>
        <location line="+12"/>
        <source>Todas as etiquetas</source>
        <translation>All labels</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Nenhuma conversa encontrada.</source>
        <translation>No conversation found.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Nenhuma conversa com a etiqueta {0}.</source>
        <translation>No conversation has the label {0}.</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Marcar como não lida</source>
        <translation>Mark as unread</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Desafixar conversa</source>
        <translation>Unpin conversation</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Fixar conversa</source>
        <translation>Pin conversation</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Você pode fixar até 3 conversas.</source>
        <translation>You can pin up to 3 conversations.</translation>
    </message>
</context>
<context>
    <name>MetaErrors</name>
    <message>
        <location filename="../../crm_whatsapp/domain/meta_errors.py" line="+22"/>
        <source>Mais de 24 horas desde a última mensagem do cliente: envie um modelo aprovado para retomar a conversa.</source>
        <translation>More than 24 hours since the customer&apos;s last message: send an approved template to resume the conversation.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Não foi possível entregar a mensagem: o número pode não ter WhatsApp, usar uma versão antiga do aplicativo ou ainda não ter aceitado os novos termos do WhatsApp.</source>
        <translation>The message couldn&apos;t be delivered: the number may not have WhatsApp, may be using an old version of the app, or may not have accepted WhatsApp&apos;s new terms yet.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>A Meta optou por não entregar esta mensagem de marketing para manter o engajamento do cliente saudável: aguarde pelo menos 24 horas antes de tentar de novo.</source>
        <translation>Meta chose not to deliver this marketing message to keep customer engagement healthy: wait at least 24 hours before trying again.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>O cliente pediu para não receber mensagens de marketing desta empresa.</source>
        <translation>The customer asked not to receive marketing messages from this company.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>O número da empresa atingiu o limite de envios por segundo da Meta: aguarde alguns instantes e tente de novo.</source>
        <translation>The company&apos;s number reached Meta&apos;s limit of messages per second: wait a moment and try again.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Muitas mensagens seguidas para este cliente: aguarde alguns segundos e tente de novo.</source>
        <translation>Too many messages in a row to this customer: wait a few seconds and try again.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>O número da empresa está em manutenção na Meta: tente de novo em alguns minutos.</source>
        <translation>The company&apos;s number is under maintenance at Meta: try again in a few minutes.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A empresa fez pedidos demais à Meta em pouco tempo: aguarde alguns minutos e tente de novo.</source>
        <translation>The company sent too many requests to Meta in a short time: wait a few minutes and try again.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Limite de envios da Meta atingido: aguarde alguns instantes e tente de novo.</source>
        <translation>Meta&apos;s sending limit was reached: wait a moment and try again.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>A Meta limitou os envios deste número porque muitas mensagens anteriores foram bloqueadas ou denunciadas como spam: evite reenviar e avise o administrador.</source>
        <translation>Meta limited sending from this number because many earlier messages were blocked or reported as spam: avoid resending and let the administrator know.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>O WhatsApp não aceita este tipo de mensagem: envie o conteúdo de outra forma.</source>
        <translation>WhatsApp doesn&apos;t accept this type of message: send the content another way.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A Meta não conseguiu baixar o arquivo da mensagem: confira o arquivo e tente de novo.</source>
        <translation>Meta couldn&apos;t download the message&apos;s file: check the file and try again.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A Meta não aceitou o arquivo anexado: confira o tipo e o tamanho do arquivo e tente de novo.</source>
        <translation>Meta didn&apos;t accept the attached file: check the file&apos;s type and size and try again.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A Meta não conseguiu processar o arquivo da mensagem: confira o arquivo.</source>
        <translation>Meta couldn&apos;t process the message&apos;s file: check the file.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>O serviço da Meta está instável no momento: tente de novo em instantes.</source>
        <translation>Meta&apos;s service is unstable right now: try again in a moment.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A Meta teve uma falha desconhecida ao processar a mensagem: tente de novo em instantes.</source>
        <translation>Meta had an unknown failure while processing the message: try again in a moment.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Faltou uma informação obrigatória na mensagem: revise o conteúdo e tente de novo.</source>
        <translation>The message is missing some required information: review the content and try again.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A Meta recusou uma informação da mensagem como inválida: revise o conteúdo e tente de novo.</source>
        <translation>Meta rejected some of the message&apos;s information as invalid: review the content and try again.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>O destinatário é o próprio número da empresa, que não pode enviar mensagens para si mesmo.</source>
        <translation>The recipient is the company&apos;s own number, which can&apos;t send messages to itself.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A conta de WhatsApp Business da empresa foi bloqueada: avise o administrador.</source>
        <translation>The company&apos;s WhatsApp Business account has been locked: let the administrator know.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>A Meta bloqueou temporariamente os envios deste número por violação das suas políticas: avise o administrador.</source>
        <translation>Meta has temporarily blocked sending from this number for violating its policies: let the administrator know.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Há um problema de pagamento na conta de WhatsApp Business da empresa: avise o administrador.</source>
        <translation>There is a payment problem with the company&apos;s WhatsApp Business account: let the administrator know.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>O número da empresa não está registrado no WhatsApp Business: avise o administrador.</source>
        <translation>The company&apos;s number isn&apos;t registered with WhatsApp Business: let the administrator know.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>A autorização do servidor da empresa na Meta expirou ou foi revogada: avise o administrador para renová-la.</source>
        <translation>The company server&apos;s authorization with Meta has expired or been revoked: ask the administrator to renew it.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>O servidor da empresa não tem permissão da Meta para enviar por este número: avise o administrador.</source>
        <translation>The company&apos;s server doesn&apos;t have Meta&apos;s permission to send from this number: let the administrator know.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Este tipo de modelo não pode ser enviado a um cliente identificado só pelo nome de usuário do WhatsApp.</source>
        <translation>This type of template can&apos;t be sent to a customer identified only by their WhatsApp username.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A Meta recusou o modelo de mensagem: confira o modelo escolhido e as variáveis preenchidas.</source>
        <translation>Meta rejected the message template: check the chosen template and the variables you filled in.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Não houve confirmação de que a Meta recebeu a mensagem: verifique se o cliente a recebeu antes de reenviar, para não mandar duas vezes.</source>
        <translation>There was no confirmation that Meta received the message: check whether the customer got it before resending, so it isn&apos;t sent twice.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>O servidor da empresa não conseguiu se conectar à Meta: tente de novo em instantes.</source>
        <translation>The company&apos;s server couldn&apos;t connect to Meta: try again in a moment.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Sem conexão com o servidor da empresa: verifique a internet e tente de novo.</source>
        <translation>No connection to the company&apos;s server: check your internet connection and try again.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>O servidor demorou demais para responder: tente de novo em instantes.</source>
        <translation>The server took too long to respond: try again in a moment.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Este computador não está mais autorizado no servidor da empresa: avise o administrador.</source>
        <translation>This computer is no longer authorized on the company&apos;s server: let the administrator know.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>O arquivo é grande demais para ser enviado pelo WhatsApp.</source>
        <extracomment>Set when the stack made its own folder: :meth:`stop` then removes it.</extracomment>
        <translation>The file is too large to send through WhatsApp.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A Meta recusou a mensagem.</source>
        <translation>Meta rejected the message.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A Meta recusou a mensagem (código {code}).</source>
        <translation>Meta rejected the message (code {code}).</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>A quantidade de variáveis preenchidas não corresponde à que o modelo espera.</source>
        <translation>The number of variables filled in doesn&apos;t match what the template expects.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>O modelo não existe ou ainda não foi aprovado no idioma escolhido.</source>
        <translation>The template doesn&apos;t exist or hasn&apos;t been approved in the chosen language yet.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>O texto do modelo ficou longo demais depois de preenchidas as variáveis.</source>
        <translation>The template text is too long once the variables are filled in.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>O conteúdo do modelo viola as políticas do WhatsApp: escolha outro modelo.</source>
        <translation>The template&apos;s content violates WhatsApp&apos;s policies: choose another template.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Uma variável do modelo está em um formato diferente do esperado.</source>
        <translation>A template variable isn&apos;t in the expected format.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>O modelo foi pausado pela Meta por baixa qualidade: escolha outro modelo por enquanto.</source>
        <translation>Meta paused the template for low quality: choose another template for now.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>O modelo foi desativado pela Meta depois de várias pausas: escolha outro modelo.</source>
        <translation>Meta disabled the template after it was paused several times: choose another template.</translation>
    </message>
</context>
<context>
    <name>NewCodeNotice</name>
    <message>
        <location filename="../../crm_whatsapp/ui/keys_wiring.py" line="+47"/>
        <source>Novo código de ativação</source>
        <translation>New enrollment code</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Informar código novo…</source>
        <translation>Enter a new code…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Agora não</source>
        <translation>Not now</translation>
    </message>
</context>
<context>
    <name>PhotoViewer</name>
    <message>
        <location filename="../../crm_whatsapp/ui/photo_viewer.py" line="+104"/>
        <source>Diminuir (Ctrl+−)</source>
        <translation>Zoom out (Ctrl+−)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Aumentar (Ctrl++)</source>
        <translation>Zoom in (Ctrl++)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ajustar</source>
        <translation>Fit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ajustar à janela (Ctrl+0)</source>
        <translation>Fit to window (Ctrl+0)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tamanho real</source>
        <translation>Actual size</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Salvar como…</source>
        <translation>Save as…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fechar (Esc)</source>
        <translation>Close (Esc)</translation>
    </message>
</context>
<context>
    <name>PluginsPage</name>
    <message>
        <location filename="../../crm_whatsapp/ui/plugins_settings.py" line="+59"/>
        <source>Nenhum plugin de CRM instalado. Os plugins do RD Station CRM, Kommo, Pipedrive e HubSpot vêm com o programa; veja docs/plugins.md.</source>
        <translation>No CRM plugin installed. The RD Station CRM, Kommo, Pipedrive and HubSpot plugins ship with the program; see docs/plugins.md.</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Este plugin não pode ser usado: {0}.</source>
        <translation>This plugin cannot be used: {0}.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>salvo no cofre do sistema (deixe em branco para manter)</source>
        <translation>saved in the system&apos;s vault (leave blank to keep it)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Registrar a conversa no CRM ao resolver</source>
        <translation>Log the conversation in the CRM on resolve</translation>
    </message>
</context>
<context>
    <name>Previews</name>
    <message>
        <location filename="../../crm_whatsapp/ui/previews.py" line="+20"/>
        <source>Foto</source>
        <translation>Photo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Áudio</source>
        <translation>Audio</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Vídeo</source>
        <translation>Video</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Documento</source>
        <translation>Document</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Figurinha</source>
        <translation>Sticker</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Localização</source>
        <translation>Location</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Contato</source>
        <translation>Contact</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Modelo</source>
        <translation>Template</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Novo contato</source>
        <translation>New contact</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mensagem apagada</source>
        <translation>This message was deleted</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>Mensagem não suportada</source>
        <translation>Unsupported message</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Reagiu {0} a: {1}</source>
        <translation>Reacted {0} to: {1}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Você reagiu {0} a: {1}</source>
        <translation>You reacted {0} to: {1}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Reagiu {0} a uma mensagem</source>
        <translation>Reacted {0} to a message</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Você reagiu {0} a uma mensagem</source>
        <translation>You reacted {0} to a message</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Mensagem</source>
        <translation>Message</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Você: {0}</source>
        <translation>You: {0}</translation>
    </message>
</context>
<context>
    <name>Problems</name>
    <message>
        <location filename="../../crm_whatsapp/security/keys.py" line="+97"/>
        <source>Houve um problema com as chaves de criptografia do perfil.</source>
        <translation>There was a problem with this profile&apos;s encryption keys.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>O cofre de senhas do sistema não está disponível; abra a sessão do usuário ou use a chave de recuperação.</source>
        <translation>The system keyring is not available; log in to the user session or use the recovery key.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>O cofre de senhas do sistema está bloqueado; desbloqueie-o entrando de novo na sessão do usuário ou use a chave de recuperação.</source>
        <translation>The system keyring is locked; unlock it by logging in to the user session again or use the recovery key.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>A chave que protege o histórico não foi encontrada no cofre de senhas do sistema; informe a chave de recuperação.</source>
        <translation>The key that protects the history was not found in the system keyring; enter the recovery key.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>A chave guardada no cofre de senhas não abre este histórico e nada foi alterado; informe a chave de recuperação.</source>
        <translation>The key in the keyring does not open this history and nothing was changed; enter the recovery key.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Esta chave de recuperação não pertence a este perfil e nada foi alterado; confira se é a folha deste computador.</source>
        <translation>This recovery key does not belong to this profile and nothing was changed; check that it is this computer&apos;s sheet.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>A chave de recuperação tem um erro de digitação; confira cada grupo com a folha impressa.</source>
        <translation>The recovery key has a typing mistake; check each group against the printed sheet.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Este perfil ainda não tem chaves de criptografia; conclua a configuração inicial.</source>
        <translation>This profile has no encryption keys yet; finish the first-run set-up.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Este perfil já tem chaves de criptografia e nenhuma chave nova será criada sobre os dados existentes; use a chave de recuperação se o cofre falhar.</source>
        <translation>This profile already has encryption keys and no new key will be made over the existing data; use the recovery key if the keyring fails.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Há um histórico neste perfil, mas o arquivo de chaves (keys.json) sumiu; restaure-o de um backup, pois uma chave nova não abriria os dados antigos.</source>
        <translation>This profile has a history but its key file (keys.json) is gone; restore it from a backup, as a new key would not open the old data.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>O arquivo de chaves do perfil (keys.json) está danificado ou é de uma versão mais nova; restaure-o de um backup ou atualize o aplicativo.</source>
        <translation>The profile&apos;s key file (keys.json) is damaged or from a newer version; restore it from a backup or update the app.</translation>
    </message>
    <message>
        <location filename="../../crm_whatsapp/session.py" line="+221"/>
        <source>O inbox não está conectado ao relay.</source>
        <extracomment>The built-in CRM plugins (pyproject&apos;s ``crm_whatsapp.plugins`` entry points). The keyring backend each platform&apos;s profile keeps its key with. What an unencrypted SQLite file starts with; an encrypted one starts with random salt. Portuguese dictionary order, as Qt with ICU&apos;s full data sorts it: letters first, then accents, then case (installer/bundle/trim_icu.py keeps only en/pt data on Linux).</extracomment>
        <translation>The inbox is not connected to the relay.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Sem conexão com o relay; tente de novo quando a conexão voltar.</source>
        <translation>No connection to the relay; try again when the connection is back.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Não foi possível carregar os modelos aprovados.</source>
        <translation>The approved templates could not be loaded.</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Não foi possível carregar a lista de colegas.</source>
        <translation>The list of colleagues could not be loaded.</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>O relay recusou a alteração; tente de novo.</source>
        <translation>The relay refused the change; try again.</translation>
    </message>
    <message>
        <location filename="../../crm_whatsapp/store/database.py" line="+40"/>
        <source>O banco de dados criptografado (SQLCipher) não está disponível nesta instalação; reinstale o aplicativo.</source>
        <translation>The encrypted database (SQLCipher) is not available in this installation; reinstall the app.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>O histórico não pôde ser aberto com esta chave; nada foi alterado. Use a chave de recuperação.</source>
        <translation>The history could not be opened with this key; nothing was changed. Use the recovery key.</translation>
    </message>
    <message>
        <location filename="../../crm_whatsapp/sync/client.py" line="+72"/>
        <source>O relay recusou este computador (dispositivo revogado ou desconhecido); peça um novo código ao administrador.</source>
        <translation>The relay refused this computer (device revoked or unknown); ask the administrator for a new code.</translation>
    </message>
    <message>
        <location line="+132"/>
        <source>Não foi possível sincronizar com o relay; verifique o endereço e a conexão.</source>
        <translation>Could not sync with the relay; check the address and the connection.</translation>
    </message>
    <message>
        <location filename="../../crm_whatsapp/sync/media.py" line="+103"/>
        <source>A mídia não está mais disponível no WhatsApp (expira em 7 dias).</source>
        <translation>The media is no longer available on WhatsApp (it expires after 7 days).</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>O relay não conseguiu baixar a mídia agora.</source>
        <translation>The relay could not download the media just now.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>A mídia passa do limite de 100 MB.</source>
        <translation>The media is over the 100 MB limit.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Sem conexão com o relay para baixar a mídia.</source>
        <translation>No connection to the relay to download the media.</translation>
    </message>
    <message>
        <location filename="../../crm_whatsapp/workspace.py" line="+54"/>
        <source>Este computador ainda não foi conectado ao relay; use &apos;crm-whatsapp enroll ENDEREÇO CÓDIGO&apos;.</source>
        <translation>This computer is not connected to the relay yet; use &apos;crm-whatsapp enroll ADDRESS CODE&apos;.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Este computador precisa de um novo código de ativação: o relay não reconhece mais este computador (o perfil foi restaurado em outro PC ou o dispositivo foi revogado); peça um código ao administrador, e o histórico fica como está.</source>
        <translation>This computer needs a new enrollment code: the relay no longer knows it (the profile was restored on another PC or the device was revoked); ask the administrator for a code, and the history stays as it is.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>A chave de recuperação está certa, mas o chaveiro do sistema continua fechado e é nele que fica a conexão com o relay; entre de novo na sessão do usuário e abra o CRM WhatsApp outra vez.</source>
        <translation>The recovery key is right, but the system keyring is still closed and it holds the connection to the relay; sign in to your user session again and open CRM WhatsApp once more.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Não foi possível gravar na pasta do perfil; confira as permissões da pasta (ou a variável CRM_WHATSAPP_HOME) e tente de novo.</source>
        <translation>The profile folder cannot be written; check the folder&apos;s permissions (or the CRM_WHATSAPP_HOME variable) and try again.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>O código de ativação já foi usado, mas este computador não conseguiu guardar a conexão; peça ao administrador que revogue o dispositivo com &apos;crm-whatsapp-relay device revoke {0}&apos; e gere um código novo com &apos;crm-whatsapp-relay device add&apos;.</source>
        <translation>The activation code has been used, but this computer could not keep the connection; ask the administrator to revoke the device with &apos;crm-whatsapp-relay device revoke {0}&apos; and create a new code with &apos;crm-whatsapp-relay device add&apos;.</translation>
    </message>
    <message>
        <location filename="../../crm_whatsapp/updates.py" line="+89"/>
        <source>Não foi possível procurar atualizações agora.</source>
        <translation>Updates could not be checked now.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>O endereço de atualizações deve começar com https://; nada foi procurado.</source>
        <translation>The updates address must start with https://; nothing was checked.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>O aviso de atualização é grande demais e foi ignorado.</source>
        <translation>The update notice is too large and was ignored.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>O aviso de atualização não tem uma assinatura válida e foi ignorado.</source>
        <translation>The update notice has no valid signature and was ignored.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>O aviso de atualização está malformado e foi ignorado.</source>
        <translation>The update notice is malformed and was ignored.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>O aviso de atualização expirou e foi ignorado.</source>
        <translation>The update notice has expired and was ignored.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Não foi possível baixar a atualização; tente de novo mais tarde.</source>
        <translation>The update could not be downloaded; try again later.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>O instalador baixado é maior do que o anunciado e foi apagado.</source>
        <translation>The downloaded installer is larger than announced and was deleted.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>O instalador baixado não confere com a atualização assinada e foi apagado; nada foi instalado.</source>
        <translation>The downloaded installer does not match the signed update and was deleted; nothing was installed.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Não foi possível salvar o instalador; verifique o espaço em disco.</source>
        <translation>The installer could not be saved; check the disk space.</translation>
    </message>
</context>
<context>
    <name>RecoveryNotice</name>
    <message>
        <location filename="../../crm_whatsapp/ui/recovery_notice.py" line="+93"/>
        <source>Este computador foi configurado pelo suporte. Antes de começar, guarde a chave de recuperação do histórico.</source>
        <translation>Your IT team set up this computer. Before you start, keep the history&apos;s recovery key somewhere safe.</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Concluir</source>
        <translation>Done</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Mostrar depois</source>
        <translation>Show later</translation>
    </message>
</context>
<context>
    <name>RecoveryPage</name>
    <message>
        <location filename="../../crm_whatsapp/ui/wizard.py" line="+35"/>
        <source>Chave de recuperação</source>
        <translation>Recovery key</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Esta chave abre o histórico num computador novo ou se o cofre de senhas do sistema se perder. Ela só é mostrada agora: imprima, anote ou salve num pendrive guardado, nunca no próprio computador.</source>
        <translation>This key opens the history on a new computer, or if the system&apos;s password vault is lost. It is shown only now: print it, write it down or save it to a USB drive kept somewhere safe, never on this computer itself.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Copiar</source>
        <translation>Copy</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Salvar em arquivo…</source>
        <translation>Save to file…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Guardei a chave de recuperação em lugar seguro</source>
        <translation>I have stored the recovery key in a safe place</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>Chave copiada. Cole-a num lugar seguro e limpe a área de transferência.</source>
        <translation>Key copied. Paste it somewhere safe, then clear the clipboard.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Salvar chave de recuperação</source>
        <translation>Save recovery key</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Texto (*.txt)</source>
        <translation>Text (*.txt)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>chave-de-recuperacao-crm-whatsapp.txt</source>
        <translation>crm-whatsapp-recovery-key.txt</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>CRM WhatsApp — chave de recuperação</source>
        <translation>CRM WhatsApp — recovery key</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Computador: {0}</source>
        <translation>Computer: {0}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Guarde esta folha longe do computador. Quem tiver esta chave e o arquivo do perfil consegue ler o histórico.</source>
        <translation>Keep this sheet away from the computer. Anyone who has this key and the profile file can read the history.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Não foi possível salvar o arquivo; escolha outra pasta ou um pendrive.</source>
        <translation>Couldn&apos;t save the file; choose another folder or a USB drive.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Chave salva em {0}.</source>
        <translation>Key saved to {0}.</translation>
    </message>
</context>
<context>
    <name>SearchResults</name>
    <message>
        <location filename="../../crm_whatsapp/ui/search_results.py" line="+44"/>
        <source>Cliente</source>
        <extracomment>Sizes pre-rendered into every icon: the 16/24/32/48 px the widgets ask for, and their 2x counterparts so HiDPI screens get a sharp pixmap instead of an upscaled one. The product icon also feeds the window manager, task bar and tray, which ask for more.</extracomment>
        <translation>Customer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nota de {0}</source>
        <extracomment>The colour line icons are drawn in on each theme&apos;s bars, for ``icon(name, ICON_COLOR[theme])``: the style sheets&apos; neutral grey on light, a light grey on dark (both &gt;= 4.5:1 on their</extracomment>
        <translation>Note by {0}</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+6"/>
        <source>Você</source>
        <extracomment>panels). The send button is a green disc in both themes and takes &quot;#FFFFFF&quot; instead.</extracomment>
        <translation>You</translation>
    </message>
    <message>
        <location line="+71"/>
        <source>Mensagens ({0})</source>
        <extracomment>Colour emoji fonts, best first: customers write 👍🙏 and the previews show 📍📄🎤, which are empty boxes in a font without them. Linux has Noto&apos;s when ``fonts-noto-color-emoji`` is installed (``tools/system-deps.sh``) or bundled in ``resources/fonts``; Windows ships Segoe UI Emoji, macOS Apple Color Emoji.</extracomment>
        <translation>Messages ({0})</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Nenhuma mensagem encontrada.</source>
        <translation>No message found.</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../crm_whatsapp/ui/settings_dialog.py" line="+96"/>
        <source>Configurações</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Geral</source>
        <translation>General</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Notificações</source>
        <translation>Notifications</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Relay</source>
        <translation>Relay</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Respostas rápidas</source>
        <translation>Quick replies</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Copilot</source>
        <translation>Copilot</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>CRM</source>
        <translation>CRM</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Auditoria</source>
        <translation>Audit</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancelar</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="+16"/>
        <location line="+5"/>
        <source>Sistema</source>
        <translation>System</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Claro</source>
        <translation>Light</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Escuro</source>
        <translation>Dark</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Para sempre</source>
        <translation>Forever</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+99"/>
        <source>{0} meses</source>
        <translation>{0} months</translation>
    </message>
    <message>
        <location line="-97"/>
        <source>Idioma:</source>
        <translation>Language:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tema:</source>
        <translation>Theme:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Guardar o histórico:</source>
        <translation>Keep history:</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Mostrar notificação na área de trabalho quando chegar mensagem</source>
        <translation>Show a desktop notification when a message arrives</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tocar som ao chegar mensagem</source>
        <translation>Play a sound when a message arrives</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Para conectar este computador a outro relay, ou de novo ao mesmo, é preciso um código de ativação novo, gerado pelo administrador.</source>
        <translation>To connect this computer to another relay, or to the same one again, you need a new activation code from the administrator.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Desligado</source>
        <translation>Off</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Endereço do relay:</source>
        <translation>Relay address:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nome deste computador:</source>
        <translation>Computer name:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Endereço de atualizações:</source>
        <translation>Updates address:</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Atalho</source>
        <translation>Shortcut</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Texto</source>
        <translation>Text</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>ex.: bomdia</source>
        <translation>e.g. goodmorning</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Texto enviado ao digitar /atalho</source>
        <translation>Text sent when you type /shortcut</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Nova</source>
        <translation>New</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Salvar resposta</source>
        <translation>Save reply</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remover</source>
        <translation>Remove</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Atalho:</source>
        <translation>Shortcut:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Texto:</source>
        <translation>Text:</translation>
    </message>
    <message>
        <location line="+144"/>
        <source>O endereço de atualizações deve começar com https://.</source>
        <translation>The updates address must start with https://.</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Não foi possível guardar a chave da API ou as informações do escritório; confira o cofre de senhas do sistema e tente de novo.</source>
        <translation>Could not keep the API key or the office information; check the system&apos;s password store and try again.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Não foi possível salvar as configurações dos plugins de CRM; confira o cofre de senhas do sistema e o espaço em disco e tente de novo.</source>
        <translation>The CRM plugins&apos; settings could not be saved; check the system&apos;s password vault and the free disk space and try again.</translation>
    </message>
    <message>
        <location line="-39"/>
        <source>O endereço da API do Copilot deve começar com https://.</source>
        <translation>The Copilot API address must start with https://.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Não foi possível salvar as configurações; verifique o espaço em disco e tente de novo.</source>
        <translation>Couldn&apos;t save the settings; check the free disk space and try again.</translation>
    </message>
</context>
<context>
    <name>SetupWizard</name>
    <message>
        <location filename="../../crm_whatsapp/ui/wizard.py" line="+40"/>
        <source>Configurar o CRM WhatsApp</source>
        <translation>Set up CRM WhatsApp</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Voltar</source>
        <translation>Back</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Avançar</source>
        <translation>Next</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+3"/>
        <source>Conectar</source>
        <translation>Connect</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Concluir</source>
        <translation>Finish</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cancelar</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Este computador já tem um histórico protegido; informe um código de ativação novo para conectá-lo de novo ao relay.</source>
        <translation>This computer already has a protected history; enter a new activation code to connect it to the relay again.</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>Não foi possível concluir a configuração; tente de novo e, se continuar, chame o suporte.</source>
        <translation>Couldn&apos;t finish the setup; try again and, if it keeps failing, contact support.</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>Guarde a chave de recuperação e marque a confirmação para concluir.</source>
        <translation>Store the recovery key and tick the confirmation box to finish.</translation>
    </message>
</context>
<context>
    <name>SnoozeDialog</name>
    <message>
        <location filename="../../crm_whatsapp/ui/snooze_dialog.py" line="+16"/>
        <source>Adiar conversa</source>
        <translation>Snooze conversation</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>A conversa volta para Abertas em:</source>
        <translation>The conversation comes back to Open on:</translation>
    </message>
</context>
<context>
    <name>Status</name>
    <message>
        <location filename="../../crm_whatsapp/domain/meta_errors.py" line="+37"/>
        <source>Enviando…</source>
        <translation>Sending…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Aceita pela Meta</source>
        <translation>Accepted by Meta</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Enviada</source>
        <translation>Sent</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Entregue</source>
        <translation>Delivered</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lida</source>
        <translation>Read</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Falhou</source>
        <translation>Failed</translation>
    </message>
</context>
<context>
    <name>SuggestionBar</name>
    <message>
        <location filename="../../crm_whatsapp/ui/widgets/suggestion_bar.py" line="+35"/>
        <source>Mais formal</source>
        <translation>More formal</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mais simpática</source>
        <translation>Friendlier</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mais curta</source>
        <translation>Shorter</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Corrigir</source>
        <translation>Fix</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>resposta rápida</source>
        <translation>quick reply</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>modelo aprovado {0}</source>
        <translation>approved template {0}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>modelo de IA</source>
        <translation>AI model</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>usada {0}× pela equipe</source>
        <translation>used {0}× by the team</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>resposta da equipe</source>
        <translation>team reply</translation>
    </message>
    <message>
        <location line="+65"/>
        <source>Copilot</source>
        <translation>Copilot</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Resumir, reescrever, traduzir</source>
        <translation>Summarise, rewrite, translate</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Resumir a conversa</source>
        <translation>Summarise the conversation</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reescrever o rascunho</source>
        <translation>Rewrite the draft</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Traduzir a mensagem do cliente</source>
        <translation>Translate the customer&apos;s message</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>O que sai deste computador</source>
        <translation>What leaves this computer</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Modelo: {0}</source>
        <translation>Template: {0}</translation>
    </message>
</context>
<context>
    <name>TemplateDialog</name>
    <message>
        <location filename="../../crm_whatsapp/ui/template_dialog.py" line="+53"/>
        <source>Imagens (*.jpg *.jpeg *.png)</source>
        <translation>Images (*.jpg *.jpeg *.png)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Vídeos (*.mp4 *.3gp)</source>
        <translation>Videos (*.mp4 *.3gp)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Documentos (*.pdf *.doc *.docx *.xls *.xlsx *.ppt *.pptx *.txt)</source>
        <translation>Documents (*.pdf *.doc *.docx *.xls *.xlsx *.ppt *.pptx *.txt)</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Enviar modelo aprovado</source>
        <translation>Send approved template</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Nenhum modelo aprovado está disponível.</source>
        <translation>No approved templates are available.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Preencha as variáveis</source>
        <translation>Fill in the variables</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Enviar modelo</source>
        <translation>Send template</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Cancelar</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Texto do modelo:</source>
        <translation>Template text:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Como o cliente vai ler:</source>
        <translation>What the customer will read:</translation>
    </message>
    <message>
        <location line="+85"/>
        <source>Escolher arquivo…</source>
        <translation>Choose file…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cabeçalho:</source>
        <translation>Header:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cabeçalho {0}</source>
        <translation>Header {0}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Botão “{0}”</source>
        <translation>Button “{0}”</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Este modelo pede um cabeçalho de localização ou botões de código, e ainda não pode ser enviado por aqui.</source>
        <translation>This template asks for a location header or code buttons, and can&apos;t be sent from here yet.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Arquivo do cabeçalho</source>
        <translation>Header file</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Escolha um arquivo de até 16 MB para o cabeçalho.</source>
        <translation>Choose a file of up to 16 MB for the header.</translation>
    </message>
    <message>
        <location line="+52"/>
        <source>Não foi possível ler o arquivo do cabeçalho.</source>
        <translation>The header file could not be read.</translation>
    </message>
    <message>
        <location line="-35"/>
        <location line="+3"/>
        <source>ex.: {0}</source>
        <translation>e.g. {0}</translation>
    </message>
</context>
<context>
    <name>ThreadHeader</name>
    <message>
        <location filename="../../crm_whatsapp/ui/widgets/header.py" line="+143"/>
        <source>Atribuir</source>
        <translation>Assign</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Etiquetas</source>
        <translation>Labels</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nota interna (só a equipe vê)</source>
        <translation>Internal note (only your team sees it)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pendente</source>
        <translation>Pending</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Aguardando o cliente ou a equipe: sai de Abertas e espera em Pendentes</source>
        <translation>Waiting on the customer or the team: leaves Open and waits in Pending</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mais opções</source>
        <translation>More options</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Nenhuma conversa aberta</source>
        <translation>No conversation open</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>janela aberta: {0}</source>
        <translation>window open: {0} left</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>janela de 24 h fechada</source>
        <translation>24-hour window closed</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>com {0}</source>
        <translation>assigned to {0}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>sem responsável</source>
        <translation>unassigned</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Reabrir</source>
        <translation>Reopen</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Resolver</source>
        <translation>Resolve</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Atribuir a mim</source>
        <translation>Assign to me</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Remover atribuição</source>
        <translation>Unassign</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Transferir para</source>
        <translation>Transfer to</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{0} — online</source>
        <translation>{0} — online</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Nenhuma etiqueta criada ainda</source>
        <translation>No labels yet</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Gerenciar etiquetas…</source>
        <translation>Manage labels…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Marcar como não lida</source>
        <translation>Mark as unread</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Desafixar conversa</source>
        <translation>Unpin conversation</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Fixar conversa</source>
        <translation>Pin conversation</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Adiar</source>
        <translation>Snooze</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>1 hora</source>
        <translation>1 hour</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Amanhã, 9h</source>
        <translation>Tomorrow, 9 am</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Próxima segunda, 9h</source>
        <translation>Next Monday, 9 am</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Escolher data e hora…</source>
        <translation>Pick a date and time…</translation>
    </message>
</context>
<context>
    <name>UnlockDialog</name>
    <message>
        <location filename="../../crm_whatsapp/ui/unlock_dialog.py" line="+58"/>
        <location line="+28"/>
        <source>Abrir o histórico</source>
        <translation>Open the history</translation>
    </message>
    <message>
        <location line="-16"/>
        <source>Para abrir o histórico, digite abaixo a chave de recuperação: a folha com 14 grupos de letras e números, impressa ou salva quando este computador foi configurado. Nada do histórico se perde.</source>
        <translation>To open the history, type the recovery key below: the sheet with 14 groups of letters and digits, printed or saved when this computer was set up. Nothing in the history is lost.</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Cancelar</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>O chaveiro do sistema está trancado, e é nele que fica guardada a senha que abre o histórico deste computador.</source>
        <translation>The system keyring is locked, and it holds the password that opens this computer&apos;s history.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>O chaveiro do sistema não tem a senha deste histórico. Isso acontece num computador novo, depois de reinstalar o sistema ou de trocar de usuário.</source>
        <translation>The system keyring does not have this history&apos;s password. That happens on a new computer, after reinstalling the system or switching users.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>A senha guardada no chaveiro do sistema não abre este histórico; nada foi alterado.</source>
        <translation>The password kept in the system keyring does not open this history; nothing was changed.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>O chaveiro do sistema não abriu, e é nele que fica guardada a senha que abre o histórico deste computador.</source>
        <translation>The system keyring did not open, and it holds the password that opens this computer&apos;s history.</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Não foi possível conferir a chave agora; tente de novo.</source>
        <translation>The key could not be checked now; try again.</translation>
    </message>
</context>
<context>
    <name>UpdateOffer</name>
    <message>
        <location filename="../../crm_whatsapp/ui/update_offer.py" line="+228"/>
        <source>Não foi possível abrir o instalador; ele está em {0}.</source>
        <translation>The installer could not be opened; it is in {0}.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Baixar</source>
        <translation>Download</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Abrir instalador</source>
        <translation>Open installer</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Baixando a versão {0}…</source>
        <translation>Downloading version {0}…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Versão {0} baixada e conferida.</source>
        <translation>Version {0} downloaded and verified.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Tentar de novo</source>
        <translation>Try again</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Atualização obrigatória: esta versão não é mais aceita; instale a versão {0}.</source>
        <translation>Required update: this version is no longer accepted; install version {0}.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Versão {0} disponível —</source>
        <translation>Version {0} available —</translation>
    </message>
</context>
<context>
    <name>VoicePlayer</name>
    <message>
        <location filename="../../crm_whatsapp/ui/voice.py" line="+68"/>
        <source>Não foi possível tocar este áudio.</source>
        <translation>This audio could not be played.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Nenhuma saída de som foi encontrada neste computador; conecte fones ou caixas de som para ouvir o áudio.</source>
        <translation>No sound output was found on this computer; connect headphones or speakers to listen to the audio.</translation>
    </message>
</context>
<context>
    <name>VoiceRecorder</name>
    <message>
        <location filename="../../crm_whatsapp/ui/recorder.py" line="+56"/>
        <source>Nenhum microfone foi encontrado neste computador.</source>
        <translation>No microphone was found on this computer.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Este computador não consegue gerar mensagens de voz (falta o codificador Opus); reinstale o programa.</source>
        <translation>This computer cannot make voice messages (the Opus encoder is missing); reinstall the program.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Nenhum som chegou do microfone; verifique se ele está ligado e se o sistema permite o acesso a ele.</source>
        <translation>No sound came from the microphone; check that it is on and that the system allows access to it.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A mensagem de voz ficou curta demais; grave pelo menos 1 segundo.</source>
        <translation>The voice message was too short; record at least 1 second.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A gravação chegou ao limite de {0} minutos e foi enviada.</source>
        <translation>The recording reached the {0}-minute limit and was sent.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A gravação foi descartada porque outra conversa foi aberta.</source>
        <translation>The recording was discarded because another conversation was opened.</translation>
    </message>
    <message>
        <location line="-19"/>
        <source>Não foi possível gravar o áudio; verifique o microfone e tente de novo.</source>
        <translation>The audio could not be recorded; check the microphone and try again.</translation>
    </message>
</context>
<context>
    <name>Window</name>
    <message>
        <location filename="../../crm_whatsapp/domain/window.py" line="+49"/>
        <source>menos de 1 min</source>
        <extracomment>What a typed phone number may hold besides digits (NBSP: pasted from web pages).</extracomment>
        <translation>less than 1 min</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{minutes} min</source>
        <translation>{minutes} min</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{hours} h {minutes:02d} min</source>
        <translation>{hours} h {minutes:02d} min</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{hours} h</source>
        <translation>{hours} h</translation>
    </message>
</context>
</TS>
